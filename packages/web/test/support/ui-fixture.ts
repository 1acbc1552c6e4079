/**
 * The browser tests' set-up: Debian's Chromium and a real Penguin server (the built UI, the mock
 * model answering by `script`) for the whole file; a page per test whose console must stay free of
 * errors; a new session made through the Sessions page's form.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import {
  type PenguinServer,
  type PenguinServerOptions,
  startPenguinServer,
} from '../../bench/penguin-server.mjs'
import { launchBrowser, watchConsole } from './browser.js'

export const DESKTOP = { width: 1280, height: 860 }

export interface UiFixture {
  readonly browser: Browser
  readonly penguin: PenguinServer
  /** A page in a context of its own, desktop-sized, its console watched; closed when the test ends. */
  newPage(): Promise<Page>
  /** The console errors of the test's page so far (a test may drop ones it expects). */
  readonly errors: string[]
}

/** Starts the browser and the server before the file's tests, closes them after. */
export function uiFixture(script: PenguinServerOptions['script']): UiFixture {
  let browser: Browser | undefined
  let penguin: PenguinServer | undefined
  let errors: string[] = []
  const contexts: BrowserContext[] = []
  beforeAll(async () => {
    ;[browser, penguin] = await Promise.all([launchBrowser(), startPenguinServer({ script })])
  })
  afterAll(async () => {
    await browser?.close()
    await penguin?.close()
  })
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close()
    const seen = errors
    errors = []
    expect(seen).toEqual([])
  })
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started (use it inside a test)`)
    return value
  }
  return {
    get browser() {
      return started(browser, 'the browser')
    },
    get penguin() {
      return started(penguin, 'the Penguin server')
    },
    get errors() {
      return errors
    },
    async newPage() {
      const context = await started(browser, 'the browser').newContext({ viewport: DESKTOP })
      contexts.push(context)
      const page = await context.newPage()
      // A bound on each wait for the page, not a speed check: generous, because a busy machine is slow.
      page.setDefaultTimeout(45_000)
      errors = watchConsole(page)
      return page
    },
  }
}

/** A new session in the server's workspace through the Sessions page's form, as `agent` when given. */
export async function createSession(page: Page, penguin: PenguinServer, agent?: string): Promise<void> {
  await page.goto(`${penguin.url}/`)
  await page.getByRole('heading', { name: 'Sessions' }).waitFor()
  // The form appears once the session list has loaded, folded when there are sessions (then it is
  // filled with the latest workspace). Waited for: the heading comes first, and a form checked
  // before it is there would be left folded.
  const form = page.locator('details.form-panel', { hasText: 'New session' })
  await form.waitFor()
  if ((await form.getAttribute('open')) === null) await form.locator('summary').click()
  await page.getByLabel('Workspace').fill(penguin.workspace)
  if (agent) {
    // The workspace's agents arrive once the path is typed.
    await page.getByLabel('Agent').locator('option', { hasText: agent }).waitFor({ state: 'attached' })
    await page.getByLabel('Agent').selectOption(agent)
  }
  await page.getByRole('button', { name: 'Create session' }).click()
  await page.waitForURL(/\/sessions\/ses_/)
}
