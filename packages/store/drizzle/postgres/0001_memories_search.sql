-- Full-text search over memories (content and tags): a generated tsvector column and its GIN index,
-- the Postgres counterpart of SQLite's FTS5 table (migration 0003 there). English stemming like
-- FTS5's porter tokenizer; tags weigh more than content (a tag is a deliberate keyword). Not
-- described by src/schema-pg.ts (drizzle has no tsvector type), so no generated migration touches it.
ALTER TABLE "memories" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('english', "tags"::text), 'A') || setweight(to_tsvector('english', "content"), 'B')
) STORED;
--> statement-breakpoint
CREATE INDEX "memories_search_idx" ON "memories" USING gin ("search");
