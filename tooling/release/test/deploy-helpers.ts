import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { get as httpGet } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'

export const REPO = fileURLToPath(new URL('../../../', import.meta.url))

/** A Kubernetes object as rendered (only what the checks read is typed). */
export interface K8sObject {
  apiVersion: string
  kind: string
  metadata: { name: string; labels?: Record<string, string> }
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field below
  spec?: any
  data?: Record<string, string>
}

/** `kubectl kustomize DIR`, offline, parsed. */
export function renderKustomize(dir: string): K8sObject[] {
  let out: string
  try {
    out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ENOENT') throw new Error('kubectl is not installed: apt-get install -y kubectl (CI does)')
    throw error
  }
  return parseAllDocuments(out).map((doc) => {
    if (doc.errors.length > 0) throw doc.errors[0]
    return doc.toJS() as K8sObject
  })
}

export function only(objects: K8sObject[], kind: string): K8sObject {
  const found = objects.filter((object) => object.kind === kind)
  if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length}`)
  return found[0]!
}

/** The built `penguin` of this checkout (penguin-ai is a devDependency, built before tests). */
export const PENGUIN_BIN = join(
  dirname(createRequire(import.meta.url).resolve('penguin-ai/package.json')),
  'bin',
  'penguin.js',
)

export interface Served {
  code: number | null
  stdout: string
  stderr: string
  checks: Record<string, number>
}

/**
 * Runs `penguin <args>` (a container's command, with `--port` swapped for a free one and
 * `--root` for a temp dir) with `env`, and once it listens requests each of `paths`
 * (with `headers`), then SIGTERM. Resolves with the statuses and how it exited.
 */
export async function serveLikeTheContainer(
  args: string[],
  env: Record<string, string>,
  requests: Record<string, { path: string; headers?: Record<string, string> }>,
): Promise<Served> {
  const scratch = await mkdtemp(join(tmpdir(), 'penguin-deploy-'))
  const swapped = args.map((arg, i) => {
    if (args[i - 1] === '--port') return '0'
    if (args[i - 1] === '--root') return scratch
    return arg
  })
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
  let stdout = ''
  let stderr = ''
  const checks: Record<string, number> = {}
  let failure: unknown
  let asked = false
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000)
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    const url = /listening on (http:\/\/[^\s]+)/.exec(stdout)?.[1]
    if (!url || asked) return
    asked = true
    // A server bound to 0.0.0.0 answers on loopback too.
    const base = url.replace('0.0.0.0', '127.0.0.1')
    ;(async () => {
      for (const [name, request] of Object.entries(requests)) {
        checks[name] = await statusOf(`${base}${request.path}`, request.headers ?? {})
      }
    })().then(
      () => child.kill('SIGTERM'),
      (error: unknown) => {
        failure = error
        child.kill('SIGKILL')
      },
    )
  })
  const code = await exited
  clearTimeout(timer)
  if (failure) throw failure
  return { code, stdout, stderr, checks }
}

/** GET `url` and resolve with the status. node:http, not fetch: fetch will not send a chosen Host. */
function statusOf(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { headers }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    request.on('error', reject)
  })
}
