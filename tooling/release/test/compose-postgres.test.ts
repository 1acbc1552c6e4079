/**
 * compose.yaml's `postgres` profile (PostgreSQL, one API server, a pool of workers), checked without
 * a container engine: the file against the Compose Specification's schema (dclint), the services a
 * profile selects, the wiring between them (URL ↔ the database service, shared volumes and paths),
 * and then the API server's command and environment, interpolated as Compose would, run against the
 * real `penguin` on a private PostgreSQL cluster.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createTestDatabase, type PostgresCluster, startPostgresCluster } from '@penguin-ai/test-postgres'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import {
  type ComposeService,
  composeErrors,
  environmentOf,
  interpolate,
  runLikeTheContainer,
} from './compose-helpers.js'
import { REPO, serveLikeTheContainer } from './deploy-helpers.js'

const FILE = join(REPO, 'compose.yaml')
const compose = parse(readFileSync(FILE, 'utf8')) as {
  services: Record<string, ComposeService>
  volumes: Record<string, unknown>
}
const { postgres, api, worker, server } = compose.services as Record<string, ComposeService>
const TOKEN = 'a-deployment-token-0123456789'
/** What `penguin worker` prints once it takes runs. */
const WORKER_READY = /worker\b.*\b(taking runs|ready|waiting for runs|started)\b/i
/** What the user exports before `docker compose --profile postgres up` (docs/deploy.md). */
const SHELL = { PENGUIN_SERVE_TOKEN: TOKEN, POSTGRES_PASSWORD: '5f0c1e2d3a4b5c6d7e8f' }

/** The services `docker compose [--profile P…] up [--scale S=0…]` starts. */
function started(profiles: string[], scaledToZero: string[] = []): string[] {
  return Object.entries(compose.services)
    .filter(([, service]) => !service.profiles || service.profiles.some((p) => profiles.includes(p)))
    .map(([name]) => name)
    .filter((name) => !scaledToZero.includes(name))
    .sort()
}

/** `name:/path` volume entries of a service → {path: name}. */
function mounts(service: ComposeService): Record<string, string> {
  return Object.fromEntries((service.volumes ?? []).map((entry) => entry.split(':').reverse()))
}

describe('compose.yaml: the postgres profile', () => {
  test('is a valid Compose file (Compose Specification schema, via dclint)', () => {
    expect(composeErrors(FILE)).toEqual([])
  })

  test('plain `up` starts the SQLite server alone; the profile starts PostgreSQL, an API server and workers', () => {
    expect(started([])).toEqual(['server'])
    expect(server?.profiles).toBeUndefined()
    // As docs/deploy.md says to run it: the SQLite server scaled to zero, `api` takes its port.
    expect(started(['postgres'], ['server'])).toEqual(['api', 'postgres', 'worker'])
    expect(worker?.deploy?.replicas).toBe(2)
    expect(api?.ports).toEqual(server?.ports)
  })

  test('PostgreSQL: a password is required, the data is in a named volume, nothing is published', () => {
    expect(postgres?.image).toMatch(/^postgres:1[5-9]/)
    expect(() => environmentOf(postgres!, {})).toThrow(/POSTGRES_PASSWORD/)
    expect(postgres?.ports).toBeUndefined()
    const data = mounts(postgres!)['/var/lib/postgresql/data']
    expect(Object.keys(compose.volumes)).toContain(data)
    expect(postgres?.healthcheck?.test?.join(' ')).toMatch(/pg_isready/)
  })

  test('the API server and the workers reach that database by its service name, once it is healthy', () => {
    const db = environmentOf(postgres!, SHELL)
    const expected = `postgres://${db.POSTGRES_USER}:${SHELL.POSTGRES_PASSWORD}@postgres:5432/${db.POSTGRES_DB}`
    for (const service of [api!, worker!]) {
      expect(environmentOf(service, SHELL).PENGUIN_DATABASE_URL).toBe(expected)
      expect(service.depends_on?.postgres?.condition).toBe('service_healthy')
    }
    expect(() => environmentOf(api!, { ...SHELL, PENGUIN_SERVE_TOKEN: undefined })).toThrow(
      /PENGUIN_SERVE_TOKEN/,
    )
  })

  test('workers run the image the API server builds, with the same workspace and data paths', () => {
    expect(api?.build).toBe('.')
    expect(worker?.build).toBeUndefined()
    expect(worker?.image).toBe(api?.image)
    expect(mounts(worker!)).toEqual(mounts(api!))
    const workspace = Object.entries(mounts(api!)).find(([, source]) => source === './workspace')?.[0]
    const serveArgs = api!.command!
    expect(serveArgs[serveArgs.indexOf('--root') + 1]).toBe(workspace)
    const workerArgs = worker!.command!
    expect(workerArgs[0]).toBe('worker')
    expect(workerArgs[workerArgs.indexOf('--root') + 1]).toBe(workspace)
    // Runs' checkpoints (shadow repositories under PENGUIN_HOME=/data) are shared too.
    expect(mounts(worker!)['/data']).toBe(mounts(server!)['/data'])
    // The image's HEALTHCHECK probes the API port, which a worker does not open.
    expect(worker?.healthcheck?.disable).toBe(true)
  })

  describe('run against the real penguin on PostgreSQL', () => {
    let cluster: PostgresCluster
    let database: Awaited<ReturnType<typeof createTestDatabase>>
    beforeAll(async () => {
      cluster = await startPostgresCluster()
      database = await createTestDatabase(cluster.url('postgres'), 'compose')
    }, 120_000)
    afterAll(async () => {
      await database?.drop()
      await cluster?.stop()
    }, 60_000)

    test("the API server's command and environment serve the API from the database, with the token", async () => {
      const env = environmentOf(api!, SHELL)
      // The container's URL names the compose service; here the private cluster stands in for it.
      env.PENGUIN_DATABASE_URL = database.url
      const auth = { authorization: `Bearer ${TOKEN}` }
      const publicHost = interpolate(api!.environment!.PENGUIN_PUBLIC_HOST!, SHELL)
      const result = await serveLikeTheContainer(api!.command!, env, {
        health: { path: '/healthz', headers: { host: '172.18.0.3:8787' } },
        anonymous: { path: '/api/v1/sessions' },
        published: { path: '/api/v1/sessions', headers: { ...auth, host: 'localhost:8787' } },
        service: { path: '/api/v1/sessions', headers: { ...auth, host: `${publicHost}:8787` } },
      })
      expect(result.checks).toEqual({ health: 200, anonymous: 401, published: 200, service: 200 })
      expect(result.code, result.stderr).toBe(0)
    })

    test("a worker's command and environment take runs from the database; SIGTERM stops it cleanly", async () => {
      const env = environmentOf(worker!, SHELL)
      env.PENGUIN_DATABASE_URL = database.url
      const result = await runLikeTheContainer(worker!.command!, env, WORKER_READY)
      expect(result.ready, result.output).toBe(true)
      expect(result.code, result.output).toBe(0)
    })
  })
})
