/**
 * Shared set-up of the `penguin github` tests (cli-github, cli-github-review, cli-github-webhook,
 * cli-github-action): a fake GitHub REST API with `acme/calc` on a bare git remote holding a
 * package whose test fails, the mock model, a scratch folder, and `penguin serve` with webhooks on.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type BareRemote,
  createBareRemote,
  type Delivery,
  FAKE_TOKEN,
  type FakeGitHub,
  type FakeRepo,
  startFakeGitHub,
} from '@penguin-ai/fake-github'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, beforeEach } from 'vitest'
import type { CliResult } from './cli-helpers.js'
import { runServing } from './serve-helpers.js'

/** A package whose `add` subtracts; `node --test` fails until it adds. */
export const BUGGY = {
  'package.json': JSON.stringify({ name: 'buggy', type: 'module', scripts: { test: 'node --test' } }),
  'src/add.js': 'export function add(a, b) {\n  return a - b\n}\n',
  'test/add.test.js':
    "import { test } from 'node:test'\nimport assert from 'node:assert/strict'\nimport { add } from '../src/add.js'\n\ntest('adds', () => assert.equal(add(2, 3), 5))\n",
}

/** The model's key and the fake's token, as a user would have them in the environment. */
export const ENV = { OPENAI_API_KEY: 'sk-test-123', GITHUB_TOKEN: FAKE_TOKEN }

export interface GitHubWorld {
  github: FakeGitHub
  remote: BareRemote
  /** `acme/calc` in the fake, on `remote`. */
  repo: FakeRepo
  /** A scratch folder, removed after the test. */
  work: string
  /** Starts the mock model with this script (closed after the test). */
  withMock(script: MockTurn[]): Promise<MockServer>
  /** `penguin github …rest` against the fake (and the mock model when given), on a database in `work`. */
  ghArgs(server: MockServer | undefined, ...rest: string[]): string[]
}

/** A fresh world for every test of the file (beforeEach / afterEach); call it at the top level. */
export function useGitHubWorld(): () => GitHubWorld {
  let world: GitHubWorld | undefined
  let mock: MockServer | undefined
  beforeEach(async () => {
    const github = await startFakeGitHub()
    const remote = await createBareRemote(BUGGY)
    const work = await mkdtemp(join(tmpdir(), 'penguin-github-test-'))
    world = {
      github,
      remote,
      repo: github.addRepo('acme', 'calc', remote),
      work,
      withMock: async (script) => {
        mock = await startMockServer({ script })
        return mock
      },
      ghArgs: (server, ...rest) => [
        'github',
        ...rest,
        '--api-url',
        github.url,
        ...(server ? ['--model', 'openai/gpt-4o', '--base-url', server.url] : []),
        '--db',
        join(work, 'penguin.db'),
      ],
    }
  })
  afterEach(async () => {
    await mock?.close()
    mock = undefined
    if (!world) return
    await world.github.close()
    await world.remote.remove()
    await rm(world.work, { recursive: true, force: true })
    world = undefined
  })
  return () => {
    if (!world) throw new Error('useGitHubWorld(): only inside a test')
    return world
  }
}

/** Every request body the model was sent, as one text (to look for what must not be there). */
export function everythingSent(server: MockServer): string {
  return server.requests.map((request) => request.rawBody).join('\n')
}

/** Posts a webhook delivery as GitHub would. */
export function deliver(url: string, delivery: Delivery): Promise<Response> {
  return fetch(`${url}/api/v1/github/webhook`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  })
}

/**
 * `penguin serve` with GitHub webhooks on (the fake's API and token, `secret`, the mock model);
 * `drive(url)` runs once it listens, then the server is stopped (SIGTERM; SIGKILL when drive threw,
 * whose error is rethrown).
 */
export function serveWithWebhook(
  world: GitHubWorld,
  model: MockServer,
  secret: string,
  drive: (url: string) => Promise<void>,
): Promise<CliResult> {
  return runServing(
    [
      'serve',
      '--port',
      '0',
      '--db',
      join(world.work, 'serve.db'),
      '--model',
      'openai/gpt-4o',
      '--base-url',
      model.url,
    ],
    { env: { ...ENV, GITHUB_API_URL: world.github.url, PENGUIN_GITHUB_WEBHOOK_SECRET: secret } },
    async (url, child) => {
      await drive(url)
      child.kill('SIGTERM')
    },
  )
}
