import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { rememberedSupport, rememberSupport } from './probe-cache.js'
import type { SandboxSupport } from './types.js'

/** How long the trial sandbox may take to start and exit. */
const PROBE_TIMEOUT_MS = 10_000

const INSTALL_HINT =
  'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap; Arch: pacman -S bubblewrap)'
const NAMESPACE_HINT =
  'let bubblewrap create namespaces: enable unprivileged user namespaces (sysctl -w kernel.unprivileged_userns_clone=1; ' +
  'on Ubuntu 24.04+ also kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap), ' +
  'or, in a container, allow it to create namespaces (e.g. docker run --security-opt seccomp=unconfined --security-opt apparmor=unconfined)'

let probed: Promise<SandboxSupport> | undefined

/**
 * Whether commands can be sandboxed on this machine: bubblewrap is found and a trial sandbox (own
 * PID, network and mount namespaces, no capabilities) starts and exits. Probed once per process,
 * and a working sandbox is remembered for this user until the machine changes (probe-cache.ts);
 * `{ fresh: true }` probes again. With `env` (whose PATH is searched) the answer is not remembered
 * in the process.
 */
export function checkSandbox(
  options: { fresh?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<SandboxSupport> {
  if (options.env) return probe(options.env, options.fresh ?? false)
  if (options.fresh || !probed) probed = probe(process.env, options.fresh ?? false)
  return probed
}

async function probe(env: NodeJS.ProcessEnv, fresh: boolean): Promise<SandboxSupport> {
  const platform = process.platform
  if (platform !== 'linux') {
    return {
      available: false,
      platform,
      cause: `the sandbox is not supported on ${platformName(platform)} yet (it needs Linux and bubblewrap)`,
      fix: 'run Penguin on Linux (or in a Linux VM) with bubblewrap installed',
    }
  }
  const bwrap = findOnPath('bwrap', env)
  if (!bwrap) {
    return { available: false, platform, cause: 'bubblewrap (bwrap) is not installed', fix: INSTALL_HINT }
  }
  if (!fresh) {
    const remembered = await rememberedSupport(bwrap, env)
    if (remembered) return remembered
  }
  // The trial starts the namespaces Penguin's sandbox uses. bench/src/sandbox.mjs times a plainer
  // bwrap (--unshare-all) as its baseline, on purpose a command line of its own.
  const [version, trial] = await Promise.all([
    run(bwrap, ['--version']),
    run(bwrap, [
      '--ro-bind',
      '/',
      '/',
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--unshare-pid',
      '--unshare-net',
      '--unshare-ipc',
      '--die-with-parent',
      '--cap-drop',
      'ALL',
      '--',
      'true',
    ]),
  ])
  if (trial.code === 0) {
    const support = {
      available: true as const,
      platform,
      bwrap,
      version: version.stdout.trim().replace(/^bubblewrap\s*/, ''),
    }
    await rememberSupport(support, env)
    return support
  }
  const said = firstLine(trial.stderr) || trial.error || `exit code ${trial.code}`
  const namespaces = /namespace|uid map|userns|Operation not permitted|Permission denied/i.test(said)
  return {
    available: false,
    platform,
    bwrap,
    cause: namespaces
      ? `bubblewrap cannot create the sandbox's namespaces here (${said})`
      : `bubblewrap failed to start a trial sandbox (${said})`,
    fix: namespaces ? NAMESPACE_HINT : `check that ${bwrap} works: ${bwrap} --ro-bind / / --unshare-pid true`,
  }
}

/** The message for a sandbox that cannot start: the cause and both ways forward. */
export function unavailableMessage(support: Extract<SandboxSupport, { available: false }>): string {
  return (
    `The sandbox cannot start: ${support.cause}. Either ${support.fix}; or run commands without the sandbox, ` +
    'with your full rights: --sandbox off (or "sandbox": { "mode": "off" } in your config).'
  )
}

function platformName(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : platform
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find(Boolean) ?? ''
  )
}

export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, command)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return undefined
}

async function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; error?: string }> {
  // Loaded by the first probe (a remembered answer needs none), not before a run's first request.
  const { spawn } = await import('node:child_process')
  return new Promise((resolve) => {
    let stdout = ''
    let stderr = ''
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: PROBE_TIMEOUT_MS })
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', (error) => resolve({ code: null, stdout, stderr, error: error.message }))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
