CREATE TABLE "run_leases" (
	"run_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"session_id" text,
	"project_id" integer,
	"workspace" text NOT NULL,
	"job" json NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"record" json,
	"worker_id" text,
	"worker_roots" json,
	"attempts" integer DEFAULT 0 NOT NULL,
	"heartbeat_at" timestamp (3) with time zone,
	"cancel_requested_at" timestamp (3) with time zone,
	"enqueued_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "run_leases_session_idx" ON "run_leases" USING btree ("session_id") WHERE "run_leases"."finished_at" IS NULL;--> statement-breakpoint
CREATE INDEX "run_leases_heartbeat_idx" ON "run_leases" USING btree ("heartbeat_at");