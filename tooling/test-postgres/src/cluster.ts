/**
 * A private PostgreSQL cluster for tests: `initdb` into a fresh temp dir, `pg_ctl start` listening
 * only on a unix socket in that dir (no TCP port to collide on), `pg_ctl stop` and the dir removed
 * at the end. Nothing of the machine's own PostgreSQL (its cluster, config, port) is touched.
 *
 * PostgreSQL refuses to run as root, and CI may run as root: then the server runs as an
 * unprivileged user (`postgres` when the package created it, else `nobody`) through `runuser`,
 * and owns the temp dir. Clients connect over the socket with `trust` auth as the `penguin`
 * superuser, whoever they are.
 */
import { execFile } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The superuser the cluster is initialised with. */
export const CLUSTER_USER = 'penguin'

export interface PostgresCluster {
  /** The directory holding the data dir and the socket. */
  readonly dir: string
  /** The socket's directory (a connection's `host`). */
  readonly socketDir: string
  readonly port: number
  /** `postgres://penguin@localhost/<database>?host=<socketDir>&port=<port>` (the socket wins over localhost) — what `--database` takes. */
  url(database: string): string
  /** The postmaster's process id (its backends are its children): for CPU accounting. */
  pid(): number
  stop(): Promise<void>
}

export interface StartOptions {
  /** Where PostgreSQL's binaries are; default `$PENGUIN_PG_BIN`, else the newest /usr/lib/postgresql/N/bin. */
  binDir?: string
  /** Default: the OS temp dir. Keep it short: a unix socket path is limited to ~100 bytes. */
  parent?: string
  /** More server settings (`name=value`, given as `-c`), e.g. `shared_preload_libraries=pg_stat_statements`. */
  settings?: readonly string[]
}

export async function startPostgresCluster(options: StartOptions = {}): Promise<PostgresCluster> {
  const bin = options.binDir ?? process.env.PENGUIN_PG_BIN ?? findBinDir()
  const dir = mkdtempSync(join(options.parent ?? tmpdir(), 'penguin-pg-'))
  const data = join(dir, 'data')
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const owner = serverUser()
  if (owner) {
    chownSync(dir, owner.uid, owner.gid)
    chmodSync(dir, 0o755)
  }
  const asOwner = (command: string, args: string[]) =>
    owner
      ? run('runuser', ['-u', owner.name, '--', join(bin, command), ...args], { cwd: dir })
      : run(join(bin, command), args, { cwd: dir })
  try {
    await asOwner('initdb', [
      '-D',
      data,
      '-U',
      CLUSTER_USER,
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ])
    // Durability is not what tests check: no fsync makes a create/drop database cheap.
    const settings = [
      `-c listen_addresses=''`,
      `-c unix_socket_directories='${dir}'`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
      ...(options.settings ?? []).map((setting) => `-c ${setting}`),
    ].join(' ')
    await asOwner('pg_ctl', [
      '-D',
      data,
      '-o',
      `-p ${port} ${settings}`,
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '120',
      'start',
    ])
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`cannot start a private PostgreSQL cluster with ${bin}: ${describe(error)}`, {
      cause: error,
    })
  }
  let stopped: Promise<void> | undefined
  return {
    dir,
    socketDir: dir,
    port,
    url: (database) =>
      `postgres://${CLUSTER_USER}@localhost/${encodeURIComponent(database)}?host=${encodeURIComponent(dir)}&port=${port}`,
    pid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    stop: () => {
      stopped ??= asOwner('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop'])
        .then(() => undefined)
        .finally(() => rmSync(dir, { recursive: true, force: true }))
      return stopped
    },
  }
}

function findBinDir(): string {
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((name) => existsSync(join(base, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  const [newest] = versions
  if (!newest)
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb): apt-get install postgresql, or set PENGUIN_PG_BIN',
    )
  return join(base, newest, 'bin')
}

/** Root cannot run PostgreSQL: pick an unprivileged user to run it as. */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined
  for (const name of ['postgres', 'nobody']) {
    const ids = lookupUser(name)
    if (ids) return { name, ...ids }
  }
  throw new Error('running as root and neither a postgres nor a nobody user exists to run PostgreSQL as')
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  // /etc/passwd is enough here: CI machines and containers have local users only.
  let passwd: string
  try {
    passwd = readFileSync('/etc/passwd', 'utf8')
  } catch {
    return undefined
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':')
    if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) }
  }
  return undefined
}

function describe(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr
  const message = error instanceof Error ? error.message : String(error)
  return typeof stderr === 'string' && stderr.trim() ? `${message.split('\n')[0]}: ${stderr.trim()}` : message
}
