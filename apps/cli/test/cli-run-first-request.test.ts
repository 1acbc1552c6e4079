/**
 * Issue 11, "faster to the first request": nothing the first turn does not need is imported before
 * `penguin run` sends its first model request. Timing is `pnpm bench:startup`'s job; this test pins
 * WHAT is loaded, by name, so a static import that drags a heavy module onto the run path fails here
 * instead of quietly costing start-up time. Through the real CLI (the bundle as it ships) against
 * the mock over HTTP: the child preloads test/module-log.mjs, which logs every module it loads and
 * marks the moment the first HTTP request is created; the bundle's source maps name what is inside
 * each chunk.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'
import { TEST_BUILD } from './test-build.js'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const MODULE_LOG = pathToFileURL(fileURLToPath(new URL('./module-log.mjs', import.meta.url))).href

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

/**
 * A loaded file as a module name: a workspace source path (`packages/store/src/open.ts`,
 * `apps/cli/src/tui/app.ts`) or `npm:<package>/<path>` for a dependency.
 */
function moduleName(path: string): string {
  const pnpm = /node_modules\/\.pnpm\/([^/]+)\/node_modules\/(.*)$/.exec(path)
  if (pnpm) {
    // `@scope+name@1.2.3_peer@4` → `@scope/name`; `name@1.2.3` → `name`.
    const [dir, rest] = [pnpm[1] as string, pnpm[2] as string]
    const name = dir.startsWith('@')
      ? `@${(dir.slice(1).split('@')[0] ?? '').replace('+', '/')}`
      : (dir.split('@')[0] ?? dir)
    const inside = rest.startsWith(`${name}/`) ? rest.slice(name.length + 1) : rest
    return `npm:${name}/${inside}`
  }
  return relative(REPO_ROOT, path)
}

/** The modules inside one loaded file: a bundle chunk's sources (from its map), else the file itself. */
function modulesOf(url: string): string[] {
  if (url.startsWith('node:')) return [url]
  if (!url.startsWith('file:')) return []
  const file = fileURLToPath(url)
  if (!file.startsWith(join(TEST_BUILD, 'dist'))) return [moduleName(file)]
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }
  return map.sources.map((source) => moduleName(resolve(dirname(file), source)))
}

/** What must not be loaded before the first request, and why. */
const NOT_BEFORE_FIRST_REQUEST: { what: string; matches: (name: string) => boolean }[] = [
  {
    what: 'the database (the session row is written once the request is on its way)',
    matches: (name) =>
      ['npm:drizzle-orm/', 'npm:better-sqlite3/', 'npm:pg/'].some((p) => name.startsWith(p)) ||
      name === 'packages/store/src/open.ts',
  },
  { what: 'the terminal UI', matches: (name) => /^apps\/cli\/src\/(tui|chat)\//.test(name) },
  {
    what: 'the ACP agent',
    matches: (name) => name.startsWith('apps/cli/src/acp/') || name.startsWith('npm:@agentclientprotocol/'),
  },
  {
    what: 'GitHub (Octokit)',
    matches: (name) => name.startsWith('packages/github/') || name.startsWith('npm:@octokit/'),
  },
  {
    what: 'MCP (no servers are configured)',
    matches: (name) =>
      name.startsWith('packages/mcp/') ||
      name.startsWith('npm:@modelcontextprotocol/') ||
      name.startsWith('npm:ajv/'),
  },
  { what: "plugins' TypeScript loader", matches: (name) => name.startsWith('npm:sucrase/') },
  {
    what: 'the server, its queue and the web UI',
    matches: (name) =>
      /^packages\/(server|projects|web)\//.test(name) ||
      ['npm:hono/', 'npm:@hono/', 'npm:ws/', 'npm:pg-boss/'].some((p) => name.startsWith(p)),
  },
  {
    what: "the HTTP API's schemas and the engine event schemas",
    matches: (name) =>
      /^packages\/protocol\/src\/(schemas|routes)\//.test(name) || name === 'packages/protocol/src/events.ts',
  },
  {
    what: 'telemetry (off unless --trace or OTEL_* ask for it)',
    matches: (name) =>
      (name.startsWith('packages/telemetry/') && name !== 'packages/telemetry/src/redact.ts') ||
      name.startsWith('npm:pino/') ||
      // The Anthropic SDK imports the (small) OpenTelemetry API; the SDK and exporters are telemetry's.
      (name.startsWith('npm:@opentelemetry/') && !name.startsWith('npm:@opentelemetry/api/')),
  },
  { what: "the tokenizer's rank tables", matches: (name) => name.startsWith('npm:js-tiktoken/') },
  {
    what: 'node:child_process (the first command, git call or sandbox probe loads it)',
    matches: (name) => name === 'node:child_process',
  },
  {
    what: "the sandbox's network proxy (node:http: only a sandbox.network list needs it, at its first command)",
    matches: (name) => name === 'node:http' || name === 'packages/sandbox/src/proxy-server.ts',
  },
  {
    what: "zod's messages in languages other than English (the bundle keeps English only)",
    matches: (name) => /^npm:zod\/v4\/locales\/(?!en\.js$|index\.js$)/.test(name),
  },
]

const WIRES = [
  {
    name: 'anthropic/claude-sonnet-4-5 (Messages)',
    args: () => ['--model', 'anthropic/claude-sonnet-4-5'],
    env: (server: MockServer) => ({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server.root }),
    sdk: 'npm:@anthropic-ai/sdk/',
    otherSdk: 'npm:openai/',
  },
  {
    name: 'openai/gpt-5 (Responses)',
    args: (server: MockServer) => ['--model', 'openai/gpt-5', '--api', 'responses', '--base-url', server.url],
    env: () => ({ OPENAI_API_KEY: 'sk-test' }),
    sdk: 'npm:openai/',
    otherSdk: 'npm:@anthropic-ai/sdk/',
  },
]

describe('penguin run before its first model request', () => {
  for (const wire of WIRES) {
    test(`${wire.name}: loads none of what the first turn does not need`, async () => {
      const repo = await makeRepo({ 'README.md': '# app\n' })
      const scratch = await mkdtemp(join(tmpdir(), 'penguin-modules-'))
      const log = join(scratch, 'modules.log')
      mock = await startMockServer({ script: [{ text: 'Hi.' }] })
      const result = await runPenguin(['run', ...wire.args(mock), '--cwd', repo, 'say hi'], {
        env: {
          ...wire.env(mock),
          PENGUIN_DB: join(scratch, 'penguin.db'),
          NODE_OPTIONS: `--import=${MODULE_LOG}`,
          PENGUIN_TEST_MODULE_LOG: log,
        },
      })
      expect(result.stderr).not.toContain('unexpected error')
      expect(result.code).toBe(0)
      expect(mock.requests).toHaveLength(1)

      const lines = (await readFile(log, 'utf8')).split('\n')
      const marker = lines.indexOf('-- request')
      expect(marker, 'the module log marks the first request').toBeGreaterThan(0)
      const before = new Set(lines.slice(0, marker).flatMap(modulesOf))
      // The log works: the run command and the wire's SDK (a vendored file run by node:vm) are there.
      expect(before).toContain('apps/cli/src/commands/run.ts')
      expect([...before].some((name) => name.startsWith(wire.sdk))).toBe(true)
      expect([...before].some((name) => name.startsWith(wire.otherSdk))).toBe(false)

      const loaded = NOT_BEFORE_FIRST_REQUEST.flatMap(({ what, matches }) => {
        const names = [...before].filter(matches)
        return names.length > 0 ? [`${what}: ${names.slice(0, 5).join(', ')}`] : []
      })
      // A failure here means a static import put these on the run path: load them where they are
      // used, behind `await import()` (esbuild loads every chunk statically reachable from a command).
      expect(loaded).toEqual([])
    })
  }
})
