import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { EngineEvent } from '@penguin-ai/engine'
import { checkSandbox, createSandbox, type Sandbox } from '@penguin-ai/sandbox'
import { afterEach, beforeAll, expect, test } from 'vitest'
import { ClaudeHooks, openExtensions, sandboxedLaunch } from '../src/index.js'
import { engineWith, hook } from './helpers.js'

// A workspace's hooks and stdio MCP servers run in the agent's sandbox; the user's own run as configured.

// Its real path, in pnpm's store: the package's own node_modules link may be hidden (see below).
const FILESYSTEM = realpathSync(
  fileURLToPath(
    new URL('../node_modules/@modelcontextprotocol/server-filesystem/dist/index.js', import.meta.url),
  ),
)

/**
 * The sandbox's /tmp is its own, so a checkout under /tmp (a CI clone, say) has the server's code
 * hidden inside it and the server could not even start: then the store holding the server and its
 * dependencies is shared in as well. Nothing the test writes goes there.
 */
function serverCodeRoots(): string[] {
  const modules = realpathSync(fileURLToPath(new URL('../../../node_modules/.pnpm', import.meta.url)))
  return modules === '/tmp' || modules.startsWith('/tmp/') ? [modules] : []
}

beforeAll(async () => {
  const support = await checkSandbox()
  if (!support.available) throw new Error(`bubblewrap does not work here: ${support.cause}`)
})

let sandbox: Sandbox | undefined
const dirs: string[] = []
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Under /var/tmp: the sandbox's /tmp is its own, so host files there would be hidden for the wrong reason. */
function fixture() {
  const base = realpathSync(mkdtempSync('/var/tmp/penguin-ext-sandbox-'))
  dirs.push(base)
  const workspace = join(base, 'work')
  const home = join(base, 'home')
  const outside = join(base, 'outside')
  for (const dir of [workspace, join(home, '.ssh'), outside]) mkdirSync(dir, { recursive: true })
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'PLANTED-KEY\n')
  return { workspace, home, outside }
}

test("a workspace's hook runs in the sandbox; the user's hook runs as configured", async () => {
  const { workspace, home, outside } = fixture()
  const env = { PATH: process.env.PATH ?? '', HOME: home }
  sandbox = createSandbox({ mode: 'workspace-write', roots: [workspace], network: false, env })
  // Each hook tries to write outside the workspace and to read the planted key, and says what it saw.
  const attempt = (who: string) =>
    `echo ${who} > ${outside}/${who}.txt; cat ${home}/.ssh/id_rsa > ${workspace}/${who}-key.txt; echo ${who} > ${workspace}/${who}-ran.txt`
  const hooks = new ClaudeHooks({
    hooks: [
      hook('UserPromptSubmit', attempt('repo'), { origin: 'workspace' }),
      hook('UserPromptSubmit', attempt('user'), { origin: 'user' }),
    ],
    cwd: workspace,
    env,
    launch: sandboxedLaunch(sandbox),
  })
  const { engine, events } = await engineWith(workspace, [{ text: 'done' }], [hooks])
  await engine.run('hello')
  expect((events as EngineEvent[]).at(-1)).toMatchObject({ type: 'run.finished', status: 'completed' })
  // Both ran, in the workspace.
  expect(readFileSync(join(workspace, 'repo-ran.txt'), 'utf8')).toBe('repo\n')
  expect(readFileSync(join(workspace, 'user-ran.txt'), 'utf8')).toBe('user\n')
  // The workspace's hook could neither write outside nor read the key.
  expect(existsSync(join(outside, 'repo.txt'))).toBe(false)
  expect(readFileSync(join(workspace, 'repo-key.txt'), 'utf8')).not.toContain('PLANTED')
  // The user's own hook has the user's rights.
  expect(readFileSync(join(outside, 'user.txt'), 'utf8')).toBe('user\n')
  expect(readFileSync(join(workspace, 'user-key.txt'), 'utf8')).toBe('PLANTED-KEY\n')
  // No mount point is left behind for the protected .penguin/ the sandbox guarded.
  expect(existsSync(join(workspace, '.penguin'))).toBe(false)
})

test('without a sandbox (mode off) every hook runs as configured', async () => {
  const { workspace, outside } = fixture()
  const launch = sandboxedLaunch(undefined)
  const spec = { command: 'sh', args: ['-c', `echo x > ${outside}/x`], cwd: workspace, env: {} }
  expect(await launch(spec, 'workspace', 'hook')).toBe(spec)
})

test("a workspace's stdio MCP server runs in the sandbox: it cannot write outside the workspace", async () => {
  const { workspace, outside, home } = fixture()
  sandbox = createSandbox({
    mode: 'workspace-write',
    roots: [workspace, ...serverCodeRoots()],
    network: false,
  })
  // The real filesystem server from npm, allowed (by its own arguments) both directories.
  const server = (name: string, origin: 'user' | 'workspace') => ({
    name,
    config: { command: process.execPath, args: [FILESYSTEM, workspace, outside] },
    source: 'test config',
    origin,
  })
  const host = await openExtensions({
    settings: {
      mcpServers: [server('repo', 'workspace'), server('mine', 'user')],
      hooks: [],
      plugins: [],
      toolFiles: [],
      ignored: [],
    },
    workspace,
    env: { PATH: process.env.PATH ?? '' },
    // Its npm cache goes under this HOME's ~/.cache (not the real user's).
    launch: sandboxedLaunch(sandbox, { env: { HOME: home } }),
  })
  try {
    const write = (name: string, path: string) =>
      engineWith(
        workspace,
        [{ calls: [{ name: `mcp__${name}__write_file`, args: { path, content: name } }] }, { text: 'done' }],
        host.extensions,
        { autoApprove: true },
      ).then(async ({ engine, events }) => {
        await engine.run('write')
        return events.find((event) => event.type === 'tool.finished') as
          | Extract<EngineEvent, { type: 'tool.finished' }>
          | undefined
      })
    const repoInside = await write('repo', join(workspace, 'a.txt'))
    expect(repoInside?.isError).toBe(false)
    expect(readFileSync(join(workspace, 'a.txt'), 'utf8')).toBe('repo')
    const repoOutside = await write('repo', join(outside, 'b.txt'))
    expect(repoOutside?.isError).toBe(true)
    expect(existsSync(join(outside, 'b.txt'))).toBe(false)
    const mineOutside = await write('mine', join(outside, 'c.txt'))
    expect(mineOutside?.isError).toBe(false)
    expect(readFileSync(join(outside, 'c.txt'), 'utf8')).toBe('mine')
  } finally {
    await host.close()
  }
})
