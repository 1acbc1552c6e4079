/**
 * The chat on a server whose runs execute on workers (`penguin --server URL` against `penguin
 * serve --database`): a message typed as the turn's run ends reaches the worker after the run
 * stopped reading, and starts the next run there (a `notice`, source `steering`, says so). The
 * turn goes on with that run, as it does when a server answers such a message with `prompt`. The
 * moment is held deterministically: the test locks the session's row, so the run's last store
 * write (after its inbox closed) waits while the message is sent.
 */
import type { EngineEvent } from '@penguin-ai/engine'
import { createGate } from '@penguin-ai/mock-llm'
import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { PenguinClient } from '@penguin-ai/sdk'
import { serve, startWorker } from '@penguin-ai/server'
import { type HeldSessionRow, holdSessionRow } from '@penguin-ai/test-postgres'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { inProcessServerOptions, tempDir, within } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { RemoteBackend } from '../src/chat/remote-backend.js'

const postgres = usePostgresCluster()
const startMock = useMockLlm()

const LATE = 'LATE: and the changelog'

describe('the chat on a server with workers', () => {
  it('follows the run a message typed too late for the turn started on the worker', async () => {
    const answered = createGate()
    const nextFollowed = createGate()
    const mock = await startMock([
      { text: 'Done.', holdUntil: answered.promise },
      { text: 'Read the late one.', holdUntil: nextFollowed.promise },
    ])
    const databaseUrl = await postgres.database('remote_late')
    const root = tempDir('penguin-remote-late-')
    const server = await serve({
      ...inProcessServerOptions(mock, root),
      dbPath: undefined,
      databaseUrl,
      sandbox: { mode: 'off' },
    })
    const worker = await startWorker({
      databaseUrl,
      roots: [root],
      baseUrl: mock.url,
      sandbox: { mode: 'off' },
      env: { OPENAI_API_KEY: 'sk-test', XDG_CONFIG_HOME: tempDir('penguin-remote-late-xdg-') },
      log: () => {},
    })
    let held: HeldSessionRow | undefined
    try {
      const client = new PenguinClient({ baseUrl: server.url })
      const session = await client.sessions.create({ workspace: root })
      // Once the turn looks at a run other than its first and finds it running, that run may answer.
      let firstRun: string | undefined
      const getRun = client.runs.get.bind(client.runs)
      client.runs.get = async (...args: Parameters<typeof getRun>) => {
        const run = await getRun(...args)
        if (firstRun && run.id !== firstRun && run.status === 'running') nextFollowed.open()
        return run
      }
      const backend = new RemoteBackend({ client, server: server.url, workspace: root }, session, {
        yes: true,
        askPermission: async () => 'reject',
      })
      const events: EngineEvent[] = []
      const turn = backend.run('say done', {
        signal: new AbortController().signal,
        onEvent: (event) => {
          if (event.type === 'run.started') firstRun ??= event.runId
          events.push(event)
        },
      })
      await within(mock.waitForRequests(1), 'the worker to ask the model')
      held = await holdSessionRow(databaseUrl, session.id)
      answered.open()
      await held.writeWaiting("the run's last write to wait for the lock")
      // Typed as the run ends: the server takes it for that run (it has not finished yet).
      expect(await backend.steer(LATE)).toBe(true)
      await held.release()

      const result = await within(turn, 'the turn to end')
      expect(result.status).toBe('completed')
      const notice = events.find((event) => event.type === 'notice')
      expect(notice).toMatchObject({ source: 'steering', level: 'info' })
      // The turn went on with the next run: its answer streamed here, then its end.
      const text = events.flatMap((event) => (event.type === 'text.delta' ? [event.delta] : [])).join('')
      expect(text).toContain('Read the late one.')
      const finished = events.filter((event) => event.type === 'run.finished').map((event) => event.runId)
      expect(finished).toHaveLength(2)
      expect(finished[0]).toBe(firstRun)
      const requests = mock.requests.filter((request) => request.body)
      expect(JSON.stringify(requests[1]?.body?.messages.at(-1))).toContain(LATE)
    } finally {
      await held?.release()
      await worker.close()
      await server.close()
    }
  }, 300_000)
})
