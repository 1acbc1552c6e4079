import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, it } from 'vitest'
import { baseEnv, makeRepo, PENGUIN_BIN } from './cli-helpers.js'

let mock: MockServer | undefined
const children: ChildProcess[] = []
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  await mock?.close()
  mock = undefined
})

interface Served {
  url: string
  child: ChildProcess
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
}

/** A real `penguin serve --no-auth` on a free port, resolved once it listens. */
async function startServe(
  root: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<Served> {
  const home = await mkdtemp(join(tmpdir(), 'penguin-home-'))
  const db = join(home, 'p.db')
  const child = spawn(
    process.execPath,
    [PENGUIN_BIN, 'serve', '--no-auth', '--port', '0', '--db', db, '--root', root, ...extra],
    { env: { ...baseEnv(home), OPENAI_API_KEY: 'sk-test', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  children.push(child)
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  )
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const found = out.match(/listening on (http:\/\/\S+)/)?.[1]
      if (found) resolve(found)
    })
    exited.then((result) => reject(new Error(`penguin serve exited: ${result.stderr}`)))
  })
  return { url, child, exited }
}

/** Upgrades a raw TCP connection to a WebSocket and writes `bytes`; resolves when the server closes it. */
function sendRawFrame(url: string, bytes: Buffer): Promise<Buffer> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname)
    let received = Buffer.alloc(0)
    let upgraded = false
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      const end = received.indexOf('\r\n\r\n')
      if (!upgraded && end !== -1) {
        upgraded = true
        expect(received.subarray(0, 12).toString()).toBe('HTTP/1.1 101')
        received = received.subarray(end + 4)
        socket.write(bytes)
      }
    })
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
    socket.write(
      [
        'GET /api/v1/ws HTTP/1.1',
        `Host: ${target.host}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    )
  })
}

/** One request with exactly these headers (fetch will not send a chosen Host); status and body. */
function raw(
  url: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${url}${path}`,
      {
        method: options.method ?? 'GET',
        headers: {
          ...options.headers,
          ...(options.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(options.body)) }),
        },
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk
        })
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      },
    )
    request.on('error', reject)
    request.end(options.body)
  })
}

describe('penguin serve under attack', () => {
  it('no web page can drive it: rebound Host names, foreign origins and form posts are refused', async () => {
    const repo = await makeRepo({ 'README.md': '# x\n' })
    // Under --no-auth, where a page used to be able to create a project and run its verify command.
    const served = await startServe(repo, ['--public-host', 'penguin.example.com'], {
      PENGUIN_PUBLIC_HOST: 'proxy.example.org, internal.example.org',
    })
    const port = new URL(served.url).port
    const rebound = await raw(served.url, '/api/v1/sessions', {
      headers: { host: `rebound.example:${port}` },
    })
    expect(rebound.status).toBe(403)
    expect(rebound.body).toMatch(/--public-host rebound\.example/)
    for (const host of [
      'penguin.example.com',
      'proxy.example.org:443',
      'internal.example.org',
      `localhost:${port}`,
    ]) {
      expect((await raw(served.url, '/api/v1/sessions', { headers: { host } })).status, host).toBe(200)
    }
    // Probes send whatever Host they have (a pod's IP).
    expect((await raw(served.url, '/healthz', { headers: { host: '10.1.2.3:8787' } })).status).toBe(200)
    expect((await raw(served.url, '/readyz', { headers: { host: '10.1.2.3:8787' } })).status).toBe(200)
    const project = JSON.stringify({ name: 'pwn', workspace: repo, verify: 'touch pwned' })
    const form = await raw(served.url, '/api/v1/projects', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: project,
    })
    expect(form.status).toBe(415)
    const foreign = await raw(served.url, '/api/v1/projects', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: project,
    })
    expect(foreign.status).toBe(403)
    const own = await raw(served.url, '/api/v1/projects', {
      headers: { origin: `http://localhost:${port}`, host: `localhost:${port}` },
    })
    expect(own.status).toBe(200)
    expect(JSON.parse(own.body).items).toEqual([])
    served.child.kill('SIGTERM')
    expect((await served.exited).code).toBe(0)
  })

  it('a PENGUIN_PUBLIC_HOST that is not a host name is a usage error naming it (exit 2)', async () => {
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const home = await mkdtemp(join(tmpdir(), 'penguin-home-'))
    const child = spawn(
      process.execPath,
      [PENGUIN_BIN, 'serve', '--no-auth', '--port', '0', '--db', join(home, 'p.db'), '--root', repo],
      {
        env: { ...baseEnv(home), PENGUIN_PUBLIC_HOST: 'https://x.example/' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    children.push(child)
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    expect(code).toBe(2)
    expect(stderr).toMatch(/PENGUIN_PUBLIC_HOST must be a host name/)
  })

  it('a 6-byte malformed WebSocket frame closes that socket (1002), not the server', async () => {
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const served = await startServe(repo)
    // FIN + reserved opcode 3, masked, no payload: six bytes.
    const sent = await sendRawFrame(served.url, Buffer.from([0x83, 0x80, 1, 2, 3, 4]))
    expect(sent[0]! & 0x0f).toBe(8) // a close frame
    expect(sent.readUInt16BE(2)).toBe(1002)
    // Still alive, still answering.
    expect(served.child.exitCode).toBeNull()
    const health = await fetch(`${served.url}/healthz`)
    expect(health.status).toBe(200)
    const sessions = await fetch(`${served.url}/api/v1/sessions`)
    expect(sessions.status).toBe(200)
    served.child.kill('SIGTERM')
    expect((await served.exited).code).toBe(0)
  })

  it('SIGTERM shuts it down while a run greps a FIFO (which used to wedge its thread pool)', async () => {
    mock = await startMockServer({
      script: [
        { toolCalls: [{ name: 'grep', arguments: { pattern: 'x', path: 'pipe' } }] },
        { toolCalls: [{ name: 'read_file', arguments: { path: 'pipe' } }] },
        { toolCalls: [{ name: 'run_command', arguments: { command: 'sleep 300' } }] },
      ],
    })
    const repo = await makeRepo({ 'README.md': '# x\n' })
    execFileSync('mkfifo', [join(repo, 'pipe')])
    const served = await startServe(repo, ['--model', 'openai/gpt-4o', '--base-url', mock.url])
    const json = { 'content-type': 'application/json' }
    const created = await fetch(`${served.url}/api/v1/sessions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ workspace: repo, auto_approve: true }),
    })
    const { id } = (await created.json()) as { id: string }
    const events = await fetch(`${served.url}/api/v1/sessions/${id}/events`)
    await fetch(`${served.url}/api/v1/sessions/${id}/messages`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ content: 'look at the pipe' }),
    })
    // Wait until the run is in its third call (the FIFO calls returned: they were refused).
    const reader = events.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    while ((text.match(/event: tool\.started\n/g) ?? []).length < 3) {
      const { done, value } = await reader.read()
      if (done) throw new Error(`the stream ended: ${text}`)
      text += decoder.decode(value, { stream: true })
    }
    await reader.cancel()
    expect(text).toMatch(/named pipe \(FIFO\)/)
    served.child.kill('SIGTERM')
    const result = await served.exited
    expect(result.code, result.stderr).toBe(0)
  })
})
