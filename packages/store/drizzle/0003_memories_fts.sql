-- Full-text index over memories (content and tags), an FTS5 external-content table: the text lives
-- in `memories`, the index in `memories_fts`, and the triggers below keep the two in step.
-- Queries join on rowid = memories.id. Not described by src/schema.ts (drizzle has no FTS5 support).
CREATE VIRTUAL TABLE `memories_fts` USING fts5(
	content,
	tags,
	content = 'memories',
	content_rowid = 'id',
	tokenize = 'porter unicode61'
);
--> statement-breakpoint
CREATE TRIGGER `memories_fts_insert` AFTER INSERT ON `memories` BEGIN
	INSERT INTO `memories_fts` (rowid, content, tags) VALUES (new.id, new.content, new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `memories_fts_delete` AFTER DELETE ON `memories` BEGIN
	INSERT INTO `memories_fts` (`memories_fts`, rowid, content, tags) VALUES ('delete', old.id, old.content, old.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `memories_fts_update` AFTER UPDATE OF content, tags ON `memories` BEGIN
	INSERT INTO `memories_fts` (`memories_fts`, rowid, content, tags) VALUES ('delete', old.id, old.content, old.tags);
	INSERT INTO `memories_fts` (rowid, content, tags) VALUES (new.id, new.content, new.tags);
END;
--> statement-breakpoint
-- Index whatever the table already holds (nothing on a fresh upgrade; harmless either way).
INSERT INTO `memories_fts` (`memories_fts`) VALUES ('rebuild');
