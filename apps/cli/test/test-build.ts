import { fileURLToPath } from 'node:url'

/** The build the CLI's tests run (made by global-setup.ts): bin/, dist/, drizzle/, demo/, package.json. */
export const TEST_BUILD = fileURLToPath(new URL('../.test-build/', import.meta.url))
