/**
 * Drives `penguin acp` as an editor would: a child process spoken to through the official ACP SDK's
 * client side (ClientSideConnection over ndjson on its stdin/stdout).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import * as acp from '@agentclientprotocol/sdk'
import { type MockServer, type MockServerOptions, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach } from 'vitest'
import { baseEnv, PENGUIN_BIN } from './cli-helpers.js'

export interface AcpPeer {
  connection: acp.ClientSideConnection
  child: ChildProcess
  /** Every session/update received, in order. */
  updates: acp.SessionNotification[]
  /** Every permission question received, in order. */
  questions: acp.RequestPermissionRequest[]
  stderr(): string
  /** Resolves with the first update matching `check` (already received or still to come). */
  nextUpdate(check: (update: acp.SessionUpdate) => boolean): Promise<acp.SessionUpdate>
  /** Ends stdin and waits for the process to exit; returns its exit code. */
  close(): Promise<number | null>
}

export type Answer = (request: acp.RequestPermissionRequest) => acp.RequestPermissionResponse

export async function startAcp(
  args: string[],
  options: {
    env?: Record<string, string>
    answer?: Answer
    home?: string
    /** The editor's file system (fs/read_text_file, fs/write_text_file), e.g. `editorBuffers()`. */
    fs?: Pick<acp.Client, 'readTextFile' | 'writeTextFile'>
  } = {},
): Promise<AcpPeer> {
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'penguin-home-')))
  const child = spawn(process.execPath, [PENGUIN_BIN, 'acp', ...args], {
    cwd: home,
    env: { ...baseEnv(home), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const updates: acp.SessionNotification[] = []
  const questions: acp.RequestPermissionRequest[] = []
  const waiters: Array<{
    check: (u: acp.SessionUpdate) => boolean
    resolve: (u: acp.SessionUpdate) => void
  }> = []
  const client: acp.Client = {
    async sessionUpdate(params) {
      updates.push(params)
      for (const waiter of [...waiters]) {
        if (waiter.check(params.update)) {
          waiters.splice(waiters.indexOf(waiter), 1)
          waiter.resolve(params.update)
        }
      }
    },
    async requestPermission(params) {
      questions.push(params)
      if (!options.answer) return { outcome: { outcome: 'cancelled' } }
      return options.answer(params)
    },
    ...options.fs,
  }
  const stream = acp.ndJsonStream(
    Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>,
    Readable.toWeb(child.stdout!) as ReadableStream<Uint8Array>,
  )
  const connection = new acp.ClientSideConnection(() => client, stream)
  const peer: AcpPeer = {
    connection,
    child,
    updates,
    questions,
    stderr: () => stderr,
    nextUpdate(check) {
      const seen = updates.find((notification) => check(notification.update))
      if (seen) return Promise.resolve(seen.update)
      return new Promise((resolve) => waiters.push({ check, resolve }))
    },
    async close() {
      child.stdin?.end()
      running.peers.delete(peer)
      return exited
    },
  }
  running.peers.add(peer)
  return peer
}

/** What the current test started: stopped after it by `useAcpCleanup`. */
const running = { peers: new Set<AcpPeer>(), mocks: new Set<MockServer>() }

/** The mock model for an ACP test, closed after the test. */
export async function startMock(options: MockServerOptions): Promise<MockServer> {
  const server = await startMockServer(options)
  running.mocks.add(server)
  return server
}

/**
 * After each test of the file: every `penguin acp` child it started (and did not close) killed and
 * its connection closed, every mock model of `startMock` stopped.
 */
export function useAcpCleanup(): void {
  afterEach(async () => {
    for (const peer of [...running.peers]) {
      peer.child.kill('SIGKILL')
      await peer.close()
    }
    for (const mock of running.mocks) await mock.close()
    running.mocks.clear()
  })
}

/** Picks the option of this kind. */
export function choose(kind: acp.PermissionOptionKind): Answer {
  return (request) => {
    const option = request.options.find((candidate) => candidate.kind === kind)
    if (!option) throw new Error(`no ${kind} option in ${JSON.stringify(request.options)}`)
    return { outcome: { outcome: 'selected', optionId: option.optionId } }
  }
}

/**
 * An editor's open buffers, by absolute path: `fs/read_text_file` answers from a buffer when the
 * path has one (unsaved text that differs from the disk), else from the disk; `fs/write_text_file`
 * changes the buffer only (the test can tell an edit reached the editor and not the disk). Paths
 * listed in `failing` are answered with a JSON-RPC error, as an editor does for a file it cannot open.
 */
export function editorBuffers(buffers: Record<string, string>, failing: string[] = []) {
  const held = new Map(Object.entries(buffers))
  const reads: string[] = []
  const writes: string[] = []
  const fs: Pick<acp.Client, 'readTextFile' | 'writeTextFile'> = {
    async readTextFile(params) {
      reads.push(params.path)
      if (failing.includes(params.path)) throw acp.RequestError.resourceNotFound(params.path)
      const text = held.get(params.path) ?? (await readFile(params.path, 'utf8'))
      return { content: text }
    },
    async writeTextFile(params) {
      writes.push(params.path)
      held.set(params.path, params.content)
      return {}
    },
  }
  return { fs, held, reads, writes }
}

/** `initialize` as an editor sends it, lending its file system as `fs` says. */
export function initializeClient(
  connection: acp.ClientSideConnection,
  fs: acp.FileSystemCapabilities = { readTextFile: false, writeTextFile: false },
): Promise<acp.InitializeResponse> {
  return connection.initialize({
    protocolVersion: acp.PROTOCOL_VERSION,
    clientCapabilities: { fs, terminal: false },
  })
}

/** A session database of the test's own, in a new temp folder. */
export async function tempDatabase(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
}
