import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/**
 * Files and directories that hold credentials, never readable inside the sandbox: SSH, cloud and
 * registry credentials, Penguin's own config (API settings, trust decisions) and its database
 * (every session's conversation). Missing ones are simply skipped.
 */
export function secretPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = homeOf(env)
  const config = env.XDG_CONFIG_HOME?.trim() || join(home, '.config')
  const paths = [
    // Named by the issue that introduced the sandbox, and documented as such.
    join(home, '.ssh'),
    join(home, '.aws'),
    join(home, '.config', 'gcloud'),
    join(home, '.netrc'),
    join(home, '.npmrc'),
    join(config, 'penguin'),
    join(home, '.config', 'penguin'),
    penguinDataHome(env, home),
    // Compiled code Penguin itself runs on its next start (the CLI's vendored libraries' V8 code
    // cache, apps/cli vendored.ts): a command must not plant it.
    ...codeCachePaths(env, home),
    // Other well-known credential stores.
    join(home, '.gnupg'),
    join(home, '.git-credentials'),
    join(home, '.config', 'gh'),
    join(home, '.docker', 'config.json'),
    join(home, '.kube'),
    join(home, '.azure'),
    join(home, '.pypirc'),
    join(home, '.cargo', 'credentials'),
    join(home, '.cargo', 'credentials.toml'),
    join(home, '.password-store'),
    join(home, '.terraform.d', 'credentials.tfrc.json'),
  ]
  const db = env.PENGUIN_DB?.trim()
  if (db && db !== ':memory:') {
    const file = resolve(db)
    paths.push(file, `${file}-wal`, `${file}-shm`, `${file}-journal`, join(dirname(file), 'snapshots'))
  }
  return [...new Set(paths)]
}

/** The CLI's code cache: `$PENGUIN_CODE_CACHE` (unless `off`), else `$XDG_CACHE_HOME/penguin/code-cache`. */
function codeCachePaths(env: NodeJS.ProcessEnv, home: string): string[] {
  const cache = env.XDG_CACHE_HOME?.trim() || join(home, '.cache')
  const paths = [join(cache, 'penguin', 'code-cache')]
  const set = env.PENGUIN_CODE_CACHE?.trim()
  if (set && set !== 'off') paths.push(resolve(set))
  return paths
}

/**
 * Sockets that lead out of the sandbox whatever its network setting — an SSH agent signs with the
 * user's keys, a Docker socket is root on the host — and the per-user runtime directory that holds
 * most of them (D-Bus, GnuPG and SSH agents, Wayland).
 */
export function socketPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const paths = ['/run/user', '/run/docker.sock', '/var/run/docker.sock', '/run/podman', '/run/containerd']
  const runtime = env.XDG_RUNTIME_DIR?.trim()
  if (runtime) paths.push(runtime)
  const agent = env.SSH_AUTH_SOCK?.trim()
  if (agent) paths.push(agent)
  return [...new Set(paths)]
}

/** Penguin's data directory (sessions database, snapshots): `$PENGUIN_HOME`, else `~/.local/share/penguin`. */
export function penguinDataHome(env: NodeJS.ProcessEnv = process.env, home = homeOf(env)): string {
  const set = env.PENGUIN_HOME?.trim()
  return set ? resolve(set) : join(home, '.local', 'share', 'penguin')
}

export function homeOf(env: NodeJS.ProcessEnv): string {
  return resolve(env.HOME?.trim() || homedir())
}
