-- What several servers and workers on one database share at run time (issue 18), Postgres only:
-- live engine events with database-wide ids (every server's SSE/WebSocket streams read them, so a
-- run on any process is seen with the same ids and Last-Event-ID resumes anywhere), the processes
-- alive, the permission asks waiting for an answer, and control messages (permission answers)
-- addressed to the process running a run. Written by src/pg/live.ts only; not described by
-- src/schema-pg.ts (SQLite has no counterpart: one process).
CREATE TABLE "live_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"type" text NOT NULL,
	"session_id" text,
	"run_id" text,
	"data" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "live_events_session_idx" ON "live_events" ("session_id", "id");
--> statement-breakpoint
CREATE INDEX "live_events_run_idx" ON "live_events" ("run_id", "id");
--> statement-breakpoint
CREATE INDEX "live_events_created_idx" ON "live_events" ("created_at");
--> statement-breakpoint
CREATE TABLE "live_marks" (
	"name" text PRIMARY KEY,
	"value" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_nodes" (
	"node_id" text PRIMARY KEY,
	"kind" text NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pending_permissions" (
	"id" text PRIMARY KEY,
	"session_id" text NOT NULL,
	"run_id" text NOT NULL,
	"node_id" text NOT NULL,
	"body" text NOT NULL,
	"asked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "pending_permissions_node_idx" ON "pending_permissions" ("node_id");
--> statement-breakpoint
CREATE TABLE "control_messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"node_id" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "control_messages_node_idx" ON "control_messages" ("node_id", "id");
