/**
 * Two real `penguin serve --database postgres://…` processes on one database (a private cluster):
 * a run on server A (its in-process worker) is streamed by an SSE client of server B with the same ids in the same order,
 * its permission ask is answered through B, and B resumes the stream with Last-Event-ID.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { type Frame, serveArgs, sseFrames, startServing, stopBackground } from './serve-helpers.js'

const postgres = usePostgresCluster()
let mock: MockServer | undefined

afterAll(async () => {
  await mock?.close()
})

afterEach(() => stopBackground())

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
    const databaseUrl = await postgres.database('serve_shared')
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const env = { OPENAI_API_KEY: 'sk-test', PENGUIN_DATABASE_URL: databaseUrl }
    // Prompts are queued: A runs them with its one in-process worker, B runs nothing.
    const [a, b] = await Promise.all([
      startServing(serveArgs(repo, mock.url, '--workers', '1'), env),
      startServing(serveArgs(repo, mock.url), env),
    ])
    const [urlA, urlB] = [a.base, b.base]
    const json = { 'content-type': 'application/json' }
    const post = (base: string, path: string, body: unknown) =>
      fetch(`${base}/api/v1${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) })
    try {
      const created = await post(urlA, '/sessions', { workspace: repo })
      const { id: sessionId } = (await created.json()) as { id: string }
      const onA = sseFrames(await fetch(`${urlA}/api/v1/sessions/${sessionId}/events`))
      const onB = sseFrames(await fetch(`${urlB}/api/v1/sessions/${sessionId}/events`))
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
      const resumed = sseFrames(
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
      for (const served of [a, b]) served.served.child.kill('SIGTERM')
    }
    const [exitA, exitB] = await Promise.all([a.served.exited, b.served.exited])
    expect(exitA.code, a.served.output()).toBe(0)
    expect(exitB.code, b.served.output()).toBe(0)
  }, 300_000)
})
