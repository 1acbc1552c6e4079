CREATE TABLE `run_leases` (
	`run_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`session_id` text,
	`project_id` integer,
	`workspace` text NOT NULL,
	`job` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`record` text,
	`worker_id` text,
	`worker_roots` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`heartbeat_at` integer,
	`cancel_requested_at` integer,
	`enqueued_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `run_leases_session_idx` ON `run_leases` (`session_id`) WHERE "run_leases"."finished_at" IS NULL;--> statement-breakpoint
CREATE INDEX `run_leases_heartbeat_idx` ON `run_leases` (`heartbeat_at`);