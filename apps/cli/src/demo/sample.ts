/**
 * What the scripted model knows about the bundled sample repository. The script is written
 * against exactly these files, so they live next to it and the tests check they stay in sync.
 */
export { SAMPLE_DIR } from '../demo-dir.js'

/** The task the demo gives the agent. */
export const DEMO_PROMPT =
  'The tests in this project are failing. Find the bug, fix it, and make sure the tests pass.'

export const SOURCE_PATH = 'src/cart.js'
export const TEST_PATH = 'test/cart.test.js'
/** What PENGUIN.md tells the agent to run. */
export const TEST_COMMAND = 'npm test'

/** The one-line fix: `cartTotal` forgot to multiply each unit price by its quantity. */
export const SAMPLE_FIX = {
  path: SOURCE_PATH,
  oldString: '  return items.reduce((sum, item) => sum + item.price, 0)',
  newString: '  return items.reduce((sum, item) => sum + item.price * item.quantity, 0)',
} as const

/**
 * A fragment of the buggy line that survives any line-number prefix `read_file` may add, used to
 * check the file still looks the way the script expects before editing it.
 */
export const BUG_MARKER = 'sum + item.price, 0)'
