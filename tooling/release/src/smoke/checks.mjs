// What a user does right after installing: the installed `penguin` and the installed library, run
// with a clean environment from a directory outside the repository.
import { strict as assert } from 'node:assert'
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockServer } from '@penguin-ai/mock-llm'
import { run, start } from './proc.mjs'

/** `penguin --version` is the packed version. */
export async function checkVersion(install, version) {
  const result = await run('penguin', ['--version'], install.exec())
  assert.equal(result.stdout.trim(), version, 'penguin --version')
}

/** `penguin demo`: a whole scripted session on the bundled sample repository, tests passing. */
export async function checkDemo(install) {
  const result = await run('penguin', ['demo'], { ...install.exec(), timeoutMs: 180_000 })
  assert.match(result.stdout, /✓ done/, 'penguin demo finishes')
  assert.doesNotMatch(result.stderr, /\S/, `penguin demo wrote to stderr: ${result.stderr}`)
}

/**
 * A command that needs the database while the driver is not built: one line naming `fix`, exit 2.
 */
export async function checkDriverMessage(install, fix) {
  const result = await run('penguin', ['sessions', 'list'], { ...install.exec(), allowFailure: true })
  assert.equal(result.code, 2, `penguin sessions list without a built driver exits 2\n${result.stderr}`)
  const lines = result.stderr.trim().split('\n')
  assert.equal(lines.length, 1, `one line:\n${result.stderr}`)
  assert.match(lines[0], /^penguin: the SQLite driver \(better-sqlite3\) is not built/)
  assert.ok(lines[0].includes(`Fix: ${fix}`), `names the fix "${fix}": ${lines[0]}`)
}

/**
 * `penguin serve` on a free port with a token: /healthz, the API with the token (and 401 without),
 * the web UI at / with its script. Then SIGTERM, exit 0.
 */
export async function checkServe(install) {
  const token = (await run('penguin', ['token', 'create', '--name', 'smoke'], install.exec())).stdout.trim()
  assert.match(token, /^pgn_\w+$/, 'penguin token create prints the token')
  const server = start('penguin', ['serve', '--port', '0', '--host', '127.0.0.1'], install.exec())
  try {
    const [, url] = await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
    const health = await fetch(`${url}/healthz`)
    assert.equal(health.status, 200, 'GET /healthz')
    const anonymous = await fetch(`${url}/api/v1/sessions`)
    assert.equal(anonymous.status, 401, 'GET /api/v1/sessions without a token')
    const sessions = await fetch(`${url}/api/v1/sessions`, { headers: { authorization: `Bearer ${token}` } })
    assert.equal(sessions.status, 200, 'GET /api/v1/sessions with the token')
    assert.ok(Array.isArray((await sessions.json()).items), 'sessions list')
    const page = await fetch(`${url}/`)
    assert.equal(page.status, 200, 'GET /')
    assert.match(page.headers.get('content-type') ?? '', /text\/html/)
    const html = await page.text()
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1]
    assert.ok(script, 'the UI page loads a script')
    const asset = await fetch(new URL(script, `${url}/`))
    assert.equal(asset.status, 200, `GET ${script}`)
    assert.match(asset.headers.get('content-type') ?? '', /javascript/)
  } finally {
    const { code, signal } = await server.stop()
    assert.equal(code, 0, `penguin serve exits 0 on SIGTERM (got ${code ?? signal})\n${server.output()}`)
  }
}

/**
 * `node -e "import('penguin-ai')"` from where the package manager put it: the module resolves inside
 * the install, a PenguinAgent is constructed and runs a task against a mock model.
 */
export async function checkLibrary(install, scratch) {
  const mock = await startMockServer({ script: [{ text: 'Hello from the installed library.' }] })
  try {
    const workspace = join(scratch, 'library-workspace')
    mkdirSync(workspace, { recursive: true })
    const code = [
      "const { PenguinAgent } = await import('penguin-ai')",
      `const agent = new PenguinAgent({ model: 'openai/gpt-4o', baseUrl: ${JSON.stringify(mock.url)}, apiKey: 'sk-smoke', workspace: ${JSON.stringify(workspace)} })`,
      "const result = await agent.run('Say hello.')",
      "console.log(JSON.stringify({ resolved: import.meta.resolve('penguin-ai'), agent: agent.constructor.name, status: result.status, text: result.text }))",
    ].join('\n')
    const result = await run(process.execPath, ['--input-type=module', '-e', code], {
      ...install.exec(),
      cwd: install.importDir,
    })
    const out = JSON.parse(result.stdout.trim().split('\n').at(-1))
    assert.equal(out.agent, 'PenguinAgent')
    assert.equal(out.status, 'completed')
    assert.equal(out.text, 'Hello from the installed library.')
    const resolved = realpathSync(new URL(out.resolved))
    assert.ok(
      resolved.startsWith(realpathSync(install.root)),
      `penguin-ai resolved inside the install: ${resolved}`,
    )
  } finally {
    await mock.close()
  }
}

const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url))

/**
 * The published types: a project that installs penguin-ai (no build needed for types) and uses the
 * library type-checks strictly, with the library's own .d.ts checked too (`skipLibCheck: false`).
 */
export async function checkTypes(install, scratch) {
  const project = join(scratch, 'typed-consumer')
  mkdirSync(project, { recursive: true })
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  )
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2023',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        noEmit: true,
        skipLibCheck: false,
      },
      files: ['index.ts'],
    }),
  )
  writeFileSync(
    join(project, 'index.ts'),
    [
      "import { builtinTools, defineTool, type EngineEvent, PenguinAgent, type RunResult, type RunStatus } from 'penguin-ai'",
      "import { z } from 'zod'",
      '',
      'const echo = defineTool({',
      "  name: 'echo',",
      "  description: 'Echo the text back',",
      '  parameters: z.object({ text: z.string() }),',
      '  readOnly: true,',
      '  execute: async ({ text }) => text.toUpperCase(),',
      '})',
      "const agent = new PenguinAgent({ model: 'openai/gpt-4o', tools: [...builtinTools(), echo] })",
      "const result: RunResult = await agent.run('hi', { onEvent: (event: EngineEvent) => void event.type })",
      'export const status: RunStatus = result.status',
      '// @ts-expect-error a model is required',
      'new PenguinAgent({})',
      '',
    ].join('\n'),
  )
  await run('npm', ['i', 'penguin-ai', 'zod@4', '@types/node@20', '--ignore-scripts'], {
    ...install.exec(),
    cwd: project,
    timeoutMs: 300_000,
  })
  await run(process.execPath, [TSC, '-p', project], { ...install.exec(), cwd: project })
}
