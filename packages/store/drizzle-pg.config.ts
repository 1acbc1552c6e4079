import { defineConfig } from 'drizzle-kit'

// `pnpm --filter @penguin-ai/store db:generate:pg` writes a new PostgreSQL migration into
// drizzle/postgres after a change to src/schema-pg.ts (keep it in step with src/schema.ts: the
// parity test fails otherwise). openPostgresStore applies them on open.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema-pg.ts',
  out: './drizzle/postgres',
})
