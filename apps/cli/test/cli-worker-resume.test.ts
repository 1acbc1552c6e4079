/**
 * A `penguin worker` that goes away mid-run, through the real CLI on a private PostgreSQL cluster:
 * one SIGKILLed stops refreshing its lease, and another worker resumes the run from what is stored
 * — the tool call that completed (it appends a line to a file) does not run again; one SIGTERMed
 * past its grace period hands the run back, and another finishes it under the same id.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGate } from '@penguin-ai/mock-llm'
import { openPostgresStore } from '@penguin-ai/store'
import { until, within } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { runFinished, startQueueingServer, startWorker, useWorkerTests } from './worker-helpers.js'

const { setUp, closeAfter } = useWorkerTests()

describe('a worker that goes away mid-run', () => {
  it('a worker killed mid-run: its lease expires and another worker resumes without running a completed tool call again', async () => {
    const held = createGate()
    const { mock, url, repo } = await setUp('worker_resume', {
      script: [
        {
          toolCalls: [{ id: 'append', name: 'run_command', arguments: { command: 'echo ran >> side.txt' } }],
        },
        // The first worker's second request: held until it is dead.
        { text: 'never sent', holdUntil: held.promise },
        { text: 'Finished after the resume.' },
      ],
    })
    const { server, api, post } = await startQueueingServer(url, repo, mock.url)
    const session = (await (await post('/sessions', { workspace: repo, auto_approve: true })).json()) as {
      id: string
    }
    const { run_id: runId } = (await (
      await post(`/sessions/${session.id}/messages`, { content: 'append a line' })
    ).json()) as { run_id: string }

    const first = await startWorker(url, repo, mock.url)
    // The tool call ran and the model was asked again: the first worker is mid-run.
    await within(mock.waitForRequests(2), 'the first worker to ask the model again')
    expect(readFileSync(join(repo, 'side.txt'), 'utf8')).toBe('ran\n')
    // Its turn is stored (the next turn's start writes it) before the worker dies.
    const opened = closeAfter(await openPostgresStore(url, { maxConnections: 1 }))
    await until(async () => (await opened.listMessages(session.id)).some((m) => m.role === 'tool'), {
      what: 'the completed tool call to be stored',
      intervalMs: 50,
    })
    first.child.kill('SIGKILL')
    await first.exited

    // A second worker with a short lease timeout sees the dead worker's lease expire and resumes.
    const second = await startWorker(url, repo, mock.url, ['--heartbeat', '2'])
    const run = await runFinished(api, runId, 'the resumed run to finish')
    held.open()
    expect(run, second.output()).toMatchObject({ status: 'completed', text: 'Finished after the resume.' })
    // The completed call did not run again; the model was told what happened and saw its result.
    expect(readFileSync(join(repo, 'side.txt'), 'utf8')).toBe('ran\n')
    const requests = mock.requests.filter((r) => r.body)
    expect(requests).toHaveLength(3)
    const resumed = JSON.stringify(requests[2]?.body?.messages)
    expect(resumed).toContain('ran')
    expect(resumed).toContain('continues now on another worker')
    // Nothing stored was lost or duplicated: one prompt, one call, one result, the note, the answer.
    const stored = await opened.listMessages(session.id)
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user', 'assistant'])

    second.child.kill('SIGTERM')
    server.child.kill('SIGTERM')
    expect((await second.exited).code, second.output()).toBe(0)
    expect((await server.exited).code, server.output()).toBe(0)
  }, 240_000)

  it('SIGTERM past the grace period hands the run back; another worker finishes it under the same id', async () => {
    const held = createGate()
    const { mock, url, repo } = await setUp('worker_resume', {
      script: [{ text: 'never sent', holdUntil: held.promise }, { text: 'Finished on the second worker.' }],
    })
    const { server, api, post } = await startQueueingServer(url, repo, mock.url)
    const session = (await (await post('/sessions', { workspace: repo })).json()) as { id: string }
    const { run_id: runId } = (await (
      await post(`/sessions/${session.id}/messages`, { content: 'take your time' })
    ).json()) as { run_id: string }
    const first = await startWorker(url, repo, mock.url, ['--grace', '0'])
    await within(mock.waitForRequests(1), 'the first worker to ask the model')
    first.child.kill('SIGTERM')
    expect((await first.exited).code, first.output()).toBe(0)
    expect(first.output()).toMatch(new RegExp(`handing run ${runId} back to the queue`))

    const second = await startWorker(url, repo, mock.url)
    const run = await runFinished(api, runId, 'the handed-back run to finish')
    held.open()
    expect(run, second.output()).toMatchObject({
      status: 'completed',
      text: 'Finished on the second worker.',
    })
    expect(JSON.stringify(mock.requests.filter((r) => r.body)[1]?.body?.messages)).toContain(
      'continues now on another worker',
    )
    const messages = (await (await api(`/sessions/${session.id}/messages`)).json()) as {
      items: { role: string }[]
    }
    expect(messages.items.map((m) => m.role)).toEqual(['user', 'user', 'assistant'])

    second.child.kill('SIGTERM')
    server.child.kill('SIGTERM')
    expect((await second.exited).code, second.output()).toBe(0)
    expect((await server.exited).code, server.output()).toBe(0)
  }, 240_000)
})
