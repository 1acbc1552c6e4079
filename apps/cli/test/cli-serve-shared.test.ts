/**
 * Two real `penguin serve --database postgres://…` processes on one database (a private cluster):
 * a run on server A (its in-process worker) is streamed by an SSE client of server B with the same ids in the same order,
 * its permission ask is answered through B, and B resumes the stream with Last-Event-ID.
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { createTestDatabase, type PostgresCluster, startPostgresCluster } from '@penguin-ai/test-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliResult, makeRepo, runPenguin } from './cli-helpers.js'

let cluster: PostgresCluster
let mock: MockServer | undefined
const drops: (() => Promise<void>)[] = []

beforeAll(async () => {
  cluster = await startPostgresCluster()
}, 120_000)

afterAll(async () => {
  await mock?.close()
  for (const drop of drops) await drop()
  await cluster?.stop()
}, 60_000)

interface Frame {
  id: number
  event: string
  data: Record<string, unknown>
}

/** An SSE response read frame by frame. */
function frames(response: Response) {
  const reader = response.body?.getReader()
  if (!reader) throw new Error('no body')
  const decoder = new TextDecoder()
  let text = ''
  const seen: Frame[] = []
  return {
    /** Frames until (and including) the first of `type`. */
    async until(type: string): Promise<Frame[]> {
      for (;;) {
        let cut = text.indexOf('\n\n')
        while (cut >= 0) {
          const block = text.slice(0, cut)
          text = text.slice(cut + 2)
          const id = block.match(/^id: (\d+)$/m)?.[1]
          const event = block.match(/^event: (.+)$/m)?.[1]
          const data = block.match(/^data: (.+)$/m)?.[1]
          if (id && event && data) {
            seen.push({ id: Number(id), event, data: JSON.parse(data) })
            if (event === type) return seen.splice(0)
          }
          cut = text.indexOf('\n\n')
        }
        const { done, value } = await reader.read()
        if (done) throw new Error(`stream ended before ${type}`)
        text += decoder.decode(value, { stream: true })
      }
    },
    close: () => reader.cancel().catch(() => {}),
  }
}

interface Served {
  url: Promise<string>
  child: Promise<ChildProcess>
  result: Promise<CliResult>
}

function servePenguin(args: string[], env: Record<string, string>): Served {
  let setUrl: (url: string) => void = () => {}
  let setChild: (child: ChildProcess) => void = () => {}
  const url = new Promise<string>((resolve) => {
    setUrl = resolve
  })
  const child = new Promise<ChildProcess>((resolve) => {
    setChild = resolve
  })
  const result = runPenguin(['serve', '--port', '0', '--no-auth', ...args], {
    env,
    onSpawn: setChild,
    onStdout: (chunk) => {
      const base = chunk.match(/listening on (http:\/\/\S+)/)?.[1]
      if (base) setUrl(base)
    },
  })
  return { url: Promise.race([url, result.then((r) => Promise.reject(new Error(r.stderr)))]), child, result }
}

describe('two penguin serve processes on one PostgreSQL database', () => {
  it("stream A's run on B with the same ids, answer its ask through B, resume on B", async () => {
    mock = await startMockServer({
      script: [
        {
          text: 'Writing.',
          toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'hi\n' } }],
        },
        { text: 'Wrote it.' },
      ],
    })
    const database = await createTestDatabase(cluster.url('postgres'), 'serve_shared')
    drops.push(database.drop)
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const home = await mkdtemp(join(tmpdir(), 'penguin-shared-home-'))
    const env = { OPENAI_API_KEY: 'sk-test', PENGUIN_DATABASE_URL: database.url, PENGUIN_HOME: home }
    const args = ['--root', repo, '--model', 'openai/gpt-4o', '--base-url', mock.url, '--sandbox', 'off']
    // Prompts are queued: A runs them with its one in-process worker, B runs nothing.
    const a = servePenguin([...args, '--workers', '1'], env)
    const b = servePenguin(args, env)
    const [urlA, urlB] = await Promise.all([a.url, b.url])
    const json = { 'content-type': 'application/json' }
    const post = (base: string, path: string, body: unknown) =>
      fetch(`${base}/api/v1${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) })
    try {
      const created = await post(urlA, '/sessions', { workspace: repo })
      const { id: sessionId } = (await created.json()) as { id: string }
      const onA = frames(await fetch(`${urlA}/api/v1/sessions/${sessionId}/events`))
      const onB = frames(await fetch(`${urlB}/api/v1/sessions/${sessionId}/events`))
      const posted = await post(urlA, `/sessions/${sessionId}/messages`, { content: 'write notes' })
      expect(posted.status).toBe(202)
      const { run_id: runId } = (await posted.json()) as { run_id: string }

      const untilAsk = await onB.until('permission.asked')
      const askId = String(untilAsk.at(-1)?.data.id)
      expect((await post(urlB, `/sessions/${sessionId}/messages`, { content: 'again' })).status).toBe(409)
      const answered = await post(urlB, `/permissions/${askId}`, { reply: 'once' })
      expect(answered.status).toBe(200)
      const seenB = [...untilAsk, ...(await onB.until('run.finished'))]
      const seenA = await onA.until('run.finished')
      await onA.close()
      await onB.close()
      const shown = (list: Frame[]) => list.map((frame) => `${frame.id} ${frame.event}`)
      expect(shown(seenB)).toEqual(shown(seenA))
      expect(seenB.at(-1)?.data).toMatchObject({ run_id: runId, status: 'completed' })
      expect(existsSync(join(repo, 'notes.txt'))).toBe(true)

      const from = seenA[1] as Frame
      const resumed = frames(
        await fetch(`${urlB}/api/v1/sessions/${sessionId}/events`, {
          headers: { 'last-event-id': String(from.id) },
        }),
      )
      expect(shown(await resumed.until('run.finished'))).toEqual(shown(seenA.slice(2)))
      await resumed.close()
      expect(await (await fetch(`${urlB}/api/v1/runs/${runId}`)).json()).toMatchObject({
        status: 'completed',
      })
    } finally {
      for (const served of [a, b]) (await served.child).kill('SIGTERM')
    }
    const [resultA, resultB] = await Promise.all([a.result, b.result])
    expect(resultA.code, resultA.stderr).toBe(0)
    expect(resultB.code, resultB.stderr).toBe(0)
  }, 120_000)
})
