import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DCLinter } from 'dclint'
import { PENGUIN_BIN } from './deploy-helpers.js'

/** A compose service as parsed (only what the checks read is typed). */
export interface ComposeService {
  build?: string
  image?: string
  profiles?: string[]
  command?: string[]
  environment?: Record<string, string>
  depends_on?: Record<string, { condition: string }>
  deploy?: { replicas?: number }
  ports?: string[]
  volumes?: string[]
  healthcheck?: { test?: string[]; disable?: boolean }
  stop_grace_period?: string
}

/**
 * Compose's interpolation of one value, as `docker compose` does it with `shell` as the
 * environment: `${VAR}`, `${VAR:-default}` (unset or empty → default), `${VAR-default}`,
 * `${VAR:?message}` / `${VAR?message}` (refuses to start), `$$` → `$`. Throws with the message
 * where Compose would refuse.
 */
export function interpolate(value: string, shell: Record<string, string | undefined>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name?: string, colon?: string, op?: string, rest?: string, bare?: string) => {
      if (match === '$$') return '$'
      if (bare) return shell[bare] ?? ''
      const current = shell[name!]
      const missing = colon ? current === undefined || current === '' : current === undefined
      if (!op) return current ?? ''
      if (!missing) return current!
      if (op === '-') return interpolate(rest ?? '', shell)
      throw new Error(`required variable ${name} is missing a value: ${rest ?? ''}`)
    },
  )
}

/** A service's environment as its container gets it, given the shell's variables. */
export function environmentOf(
  service: ComposeService,
  shell: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [key, interpolate(String(value), shell)]),
  )
}

/**
 * The file checked by dclint against the Compose Specification's JSON schema (and its rules that are
 * about mistakes rather than taste): the messages of type error.
 */
export function composeErrors(file: string): string[] {
  const linter = new DCLinter({
    rules: {
      // Taste, not mistakes: the file is ordered for reading, and `build` + `image` is how Compose
      // names the image it builds (the workers run the image `api` builds).
      'no-build-and-image': 0,
      'service-keys-order': 0,
      'services-alphabetical-order': 0,
    },
    quiet: false,
    debug: false,
    exclude: [],
  })
  // dclint's declarations use extension-less imports NodeNext cannot follow: its result typed here.
  const results = linter.lintFiles([file], false) as {
    messages: { type: string; rule: string; line: number; message: string }[]
  }[]
  return results
    .flatMap((result) => result.messages)
    .filter((message) => message.type === 'error')
    .map((message) => `${message.line}: ${message.rule}: ${message.message}`)
}

/**
 * Runs `penguin <args>` (a container's command with `--root` swapped for a temp dir) with `env`
 * until its output matches `ready`, then SIGTERM: how it exited and what it printed. Bounded: a
 * process that never gets ready is killed and reported.
 */
export async function runLikeTheContainer(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ code: number | null; ready: boolean; output: string }> {
  const scratch = await mkdtemp(join(tmpdir(), 'penguin-deploy-'))
  const swapped = args.map((arg, i) => (args[i - 1] === '--root' ? scratch : arg))
  const child = spawn(process.execPath, [PENGUIN_BIN, ...swapped], {
    cwd: scratch,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: scratch,
      NO_COLOR: '1',
      ...env,
      PENGUIN_HOME: join(scratch, 'data'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let seen = false
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const take = (chunk: string) => {
    output += chunk
    if (!seen && ready.test(output)) {
      seen = true
      child.kill('SIGTERM')
    }
  }
  child.stdout.setEncoding('utf8').on('data', take)
  child.stderr.setEncoding('utf8').on('data', take)
  const code = await exited
  clearTimeout(timer)
  return { code, ready: seen, output }
}
