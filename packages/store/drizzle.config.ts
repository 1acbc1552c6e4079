import { defineConfig } from 'drizzle-kit'

// `pnpm --filter @penguin-ai/store db:generate` writes a new migration into drizzle/ after a change
// to src/schema.ts. Migrations ship with the package and are applied by openStore.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/schema.ts',
  out: './drizzle',
})
