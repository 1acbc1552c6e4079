import { execFile, spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { EXIT } from '../cli-error.js'
import { parseCommand, print } from '../flags.js'
import { sqliteDriverProblem } from '../store/driver.js'
import { version } from '../version.js'
import { printHelp } from './help-text.js'
import { DOCTOR } from './spec/agent.js'

type Status = 'ok' | 'warn' | 'fail'

interface Check {
  name: string
  status: Status
  detail: string
}

/**
 * `penguin doctor`: what works here and what does not — above all whether commands can be
 * sandboxed — each with the fix. Exits 1 when something Penguin needs is broken.
 */
export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, DOCTOR)
  if (values.help) {
    return printHelp(['doctor'])
  }
  const workspace = resolve(values.cwd ?? process.cwd())
  const checks: Check[] = [
    nodeCheck(),
    ...(await configChecks(workspace)),
    databaseCheck(),
    ...(await postgresChecks()),
    await gitCheck(),
  ]
  const failed = checks.some((check) => check.status === 'fail')
  if (values.json) {
    print(
      JSON.stringify({
        version: version(),
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        workspace,
        ok: !failed,
        checks,
      }),
    )
  } else {
    print(`penguin ${version()} · Node ${process.version} · ${process.platform} ${process.arch}`)
    const mark: Record<Status, string> = { ok: '✓', warn: '!', fail: '✗' }
    for (const check of checks) print(`${mark[check.status]} ${check.name.padEnd(9)} ${check.detail}`)
  }
  return failed ? EXIT.failed : EXIT.ok
}

function nodeCheck(): Check {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  const ok = major > 20 || (major === 20 && minor >= 19)
  return {
    name: 'node',
    status: ok ? 'ok' : 'fail',
    detail: ok
      ? `Node.js ${process.version}`
      : `Node.js ${process.version} is too old: Penguin needs 20.19 or newer`,
  }
}

/** Config files, trust, the sandbox this workspace gets (tried for real) and the model. */
async function configChecks(workspace: string): Promise<Check[]> {
  const config = await import('@penguin-ai/config')
  const { checkSandbox, unavailableMessage } = await import('@penguin-ai/sandbox')
  const checks: Check[] = []
  const support = await checkSandbox({ fresh: true })
  let resolved: Awaited<ReturnType<typeof config.resolveConfig>> | undefined
  try {
    resolved = await config.resolveConfig({ workspace, env: process.env })
    const files = resolved.files
    const user = files.user.exists ? files.user.path : `${files.user.path} (none: defaults)`
    const local = files.workspace.exists
      ? `${files.workspace.path} (${resolved.trust.state === 'trusted' ? 'trusted' : 'not trusted: only what tightens applies'})`
      : 'no workspace config'
    checks.push({ name: 'config', status: 'ok', detail: `${user}; ${local}` })
  } catch (error) {
    checks.push({ name: 'config', status: 'fail', detail: messageOf(error) })
  }

  if (!support.available) {
    checks.push({ name: 'sandbox', status: 'fail', detail: unavailableMessage(support) })
  } else if (resolved) {
    try {
      const setup = await config.sandboxSetup(resolved, { roots: [resolved.workspace], env: process.env })
      if (!setup.instance) {
        const why = setup.modeFrom === 'default' ? (setup.warning ?? 'off') : `off (set by ${setup.modeFrom})`
        checks.push({
          name: 'sandbox',
          status: 'warn',
          detail: `bubblewrap ${support.version} works, but commands here run with your full rights: ${why}`,
        })
      } else {
        const trial = await trySandbox(setup.instance, resolved.workspace)
        checks.push({
          name: 'sandbox',
          status: trial.ok ? 'ok' : 'fail',
          detail: trial.ok
            ? `works: bubblewrap ${support.version} (${support.bwrap}); commands here run in ${setup.instance.describe()}, in their own PID namespace`
            : `bubblewrap ${support.version} starts, but a trial command in ${resolved.workspace} failed: ${trial.detail}`,
        })
      }
    } catch (error) {
      checks.push({ name: 'sandbox', status: 'fail', detail: messageOf(error) })
    }
  } else {
    checks.push({
      name: 'sandbox',
      status: 'ok',
      detail: `bubblewrap ${support.version} (${support.bwrap}) works`,
    })
  }

  if (resolved) {
    try {
      const model = config.resolveAgentModel(resolved, { env: process.env })
      checks.push({ name: 'model', status: 'ok', detail: `${model.id}${keyNote(model)}` })
    } catch (error) {
      checks.push({ name: 'model', status: 'warn', detail: messageOf(error) })
    }
  }
  return checks
}

/** Runs one command in the sandbox: it must start, and Penguin's own process must be invisible to it. */
async function trySandbox(
  sandbox: import('@penguin-ai/sandbox').Sandbox,
  workspace: string,
): Promise<{ ok: boolean; detail: string }> {
  try {
    const script = `if kill -0 ${process.pid} 2>/dev/null; then echo visible; else echo hidden; fi`
    const wrapped = await sandbox.wrap(['sh', '-c', script], { cwd: workspace, detached: true })
    const { code, stdout, stderr } = await new Promise<{
      code: number | null
      stdout: string
      stderr: string
    }>((done) => {
      let out = ''
      let err = ''
      const child = spawn(wrapped.command, wrapped.args, {
        env: wrapped.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 15_000,
      })
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk
      })
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        err += chunk
      })
      child.on('error', (error) => done({ code: null, stdout: out, stderr: error.message }))
      child.on('close', (exit) => done({ code: exit, stdout: out, stderr: err }))
    })
    await wrapped.release()
    if (code !== 0) return { ok: false, detail: stderr.trim().split('\n')[0] || `exit code ${code}` }
    if (stdout.trim() !== 'hidden') return { ok: false, detail: "Penguin's process is visible inside" }
    return { ok: true, detail: '' }
  } catch (error) {
    return { ok: false, detail: messageOf(error) }
  } finally {
    await sandbox.close()
  }
}

function keyNote(model: { apiKeyEnv?: string; apiKey?: string }): string {
  if (model.apiKeyEnv) return model.apiKey ? ` (key from ${model.apiKeyEnv})` : ` (no ${model.apiKeyEnv} set)`
  return ''
}

function databaseCheck(): Check {
  const problem = sqliteDriverProblem()
  return problem
    ? { name: 'database', status: 'fail', detail: problem }
    : { name: 'database', status: 'ok', detail: 'the SQLite driver (better-sqlite3) loads' }
}

/** With PENGUIN_DATABASE_URL set: can it be reached, and is its schema this version's? */
async function postgresChecks(env: NodeJS.ProcessEnv = process.env): Promise<Check[]> {
  const url = env.PENGUIN_DATABASE_URL?.trim()
  if (!url) return []
  const { pendingPostgresMigrations, redactDatabaseUrl } = await import('@penguin-ai/store')
  const shown = redactDatabaseUrl(url)
  if (!/^postgres(ql)?:\/\//i.test(url))
    return [
      { name: 'postgres', status: 'fail', detail: `PENGUIN_DATABASE_URL is not a postgres:// URL: ${shown}` },
    ]
  try {
    const pending = await pendingPostgresMigrations(url)
    return [
      pending === 0
        ? { name: 'postgres', status: 'ok', detail: `${shown}: reachable, schema up to date` }
        : {
            name: 'postgres',
            status: 'warn',
            detail: `${shown}: reachable, ${pending} schema change${pending === 1 ? '' : 's'} pending (penguin db migrate applies them)`,
          },
    ]
  } catch (error) {
    return [{ name: 'postgres', status: 'fail', detail: messageOf(error) }]
  }
}

function gitCheck(): Promise<Check> {
  return new Promise((done) => {
    execFile('git', ['--version'], { timeout: 5000 }, (error, stdout) => {
      done(
        error
          ? {
              name: 'git',
              status: 'warn',
              detail: 'git is not installed: checkpoints and git-aware context are off',
            }
          : { name: 'git', status: 'ok', detail: stdout.trim() },
      )
    })
  })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
