ALTER TABLE `tasks` ADD `failure_reason` text;--> statement-breakpoint
CREATE INDEX `events_project_idx` ON `events` (`project_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_task_idx` ON `events` (`task_id`,`id`);