/**
 * A scale-out deployment on this machine, made of what users run: a private PostgreSQL cluster
 * with one database, `penguin serve --database …` processes (API servers, which queue runs) and
 * `penguin worker --database …` processes (which execute them). Every process shares the same
 * workspace root and data directory (checkpoints), as a shared volume gives them in production, and
 * the same model settings (PENGUIN_MODEL / PENGUIN_BASE_URL: the mock model of the test or bench).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createTestDatabase,
  type PostgresCluster,
  queryDatabase,
  startPostgresCluster,
} from '@penguin-ai/test-postgres'
import { type PenguinProcess, startPenguin } from './process.js'

export interface DeploymentOptions {
  /** `provider/model` every session runs with (PENGUIN_MODEL). */
  model: string
  /** The model endpoint (PENGUIN_BASE_URL): the mock's URL. */
  baseUrl: string
  /** More environment for every process (the provider key the model needs, …). */
  env?: Record<string, string>
  /** More PostgreSQL server settings (`name=value`), e.g. `shared_preload_libraries=pg_stat_statements`. */
  postgresSettings?: readonly string[]
}

export interface ApiServer {
  readonly process: PenguinProcess
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  /** `${url}/api/v1${path}` with a JSON body, parsed. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>
}

export interface WorkerOptions {
  /** `--concurrency N` (default 1). */
  concurrency?: number
  /** `--heartbeat S`: how long a silent worker keeps its runs (default: the CLI's). */
  heartbeatSeconds?: number
  /** More environment for this worker only. */
  env?: Record<string, string>
}

export interface Deployment {
  /** The database every process shares. */
  readonly databaseUrl: string
  /** The workspace root every process is given (`--root`): sessions' workspaces go under it. */
  readonly root: string
  /** The shared data directory (PENGUIN_HOME). */
  readonly home: string
  /** The database's name (`databaseUrl` names it too). */
  readonly databaseName: string
  /** The PostgreSQL server's process id (its backends are its children): for CPU accounting. */
  postgresPid(): number
  /** Runs `text` on the cluster's `postgres` database (not the deployment's, whose statements it would add to). */
  maintenanceQuery<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>
  startServer(name: string): Promise<ApiServer>
  startWorker(name: string, options?: WorkerOptions): Promise<PenguinProcess>
  /** Stops every process still running (SIGTERM, then SIGKILL past the bound), the cluster, the files. */
  stop(): Promise<void>
}

/** What `penguin worker` prints once it takes runs. */
export const WORKER_READY = /worker\b.*\b(taking runs|ready|waiting for runs|started)\b/i

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-scale-'))
  const root = join(dir, 'workspaces')
  const home = join(dir, 'data')
  await Promise.all([root, home, join(dir, 'home')].map((path) => mkdir(path, { recursive: true })))
  let cluster: PostgresCluster | undefined
  const processes: PenguinProcess[] = []
  try {
    cluster = await startPostgresCluster({ settings: options.postgresSettings ?? [] })
    const database = await createTestDatabase(cluster.url('postgres'), 'scale')
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '',
      HOME: join(dir, 'home'),
      XDG_CONFIG_HOME: join(dir, 'home', '.config'),
      PENGUIN_HOME: home,
      PENGUIN_MODEL: options.model,
      PENGUIN_BASE_URL: options.baseUrl,
      // The commands runs execute are the test's own; bubblewrap is not what is measured here.
      PENGUIN_SANDBOX: 'off',
      NO_COLOR: '1',
      ...options.env,
    }
    const started = (name: string, args: string[], extra: Record<string, string> = {}) => {
      const child = startPenguin(name, args, { env: { ...env, ...extra }, cwd: dir })
      processes.push(child)
      return child
    }
    const stopCluster = cluster
    return {
      databaseUrl: database.url,
      root,
      home,
      databaseName: database.name,
      postgresPid: () => stopCluster.pid(),
      maintenanceQuery: <T>(text: string, params: unknown[] = []) =>
        queryDatabase<T>(stopCluster.url('postgres'), text, params),
      async startServer(name) {
        const child = started(name, [
          'serve',
          '--port',
          '0',
          '--no-auth',
          '--database',
          database.url,
          '--root',
          root,
        ])
        const [, url] = await child.waitFor(/listening on (http:\/\/\S+)/, 'listening on')
        const base = url!.replace(/\/$/, '')
        return {
          process: child,
          url: base,
          async request<T>(method: string, path: string, body?: unknown) {
            const response = await fetch(`${base}/api/v1${path}`, {
              method,
              ...(body === undefined
                ? {}
                : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
            })
            const text = await response.text()
            return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T }
          },
        }
      },
      async startWorker(name, workerOptions = {}) {
        const args = [
          'worker',
          '--database',
          database.url,
          '--concurrency',
          String(workerOptions.concurrency ?? 1),
          '--root',
          root,
          ...(workerOptions.heartbeatSeconds !== undefined
            ? ['--heartbeat', String(workerOptions.heartbeatSeconds)]
            : []),
        ]
        const child = started(name, args, workerOptions.env)
        await child.waitFor(WORKER_READY, 'the worker taking runs')
        return child
      },
      async stop() {
        const failures: unknown[] = []
        await Promise.all(
          processes.map((child) => child.stop('SIGTERM').catch((error: unknown) => failures.push(error))),
        )
        await database.drop().catch((error: unknown) => failures.push(error))
        await stopCluster.stop().catch((error: unknown) => failures.push(error))
        await rm(dir, { recursive: true, force: true })
        if (failures.length > 0) throw failures[0]
      },
    }
  } catch (error) {
    await Promise.all(processes.map((child) => child.stop('SIGKILL').catch(() => undefined)))
    await cluster?.stop().catch(() => undefined)
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
