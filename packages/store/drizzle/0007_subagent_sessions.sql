ALTER TABLE `sessions` ADD `parent_session_id` text REFERENCES sessions(id) ON DELETE cascade;--> statement-breakpoint
ALTER TABLE `sessions` ADD `agent` text;--> statement-breakpoint
CREATE INDEX `sessions_parent_session_idx` ON `sessions` (`parent_session_id`,`created_at`);