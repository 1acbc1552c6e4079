import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openShadowRepo } from '@penguin-ai/checkpoints'
import { describe, expect, it } from 'vitest'
import { createSession, postMessage, sessionEvents, startTestServer } from './helpers.js'

describe('checkpoints over HTTP', () => {
  // Every checkpoint is a snapshot in a shadow git repository (several git processes each), and
  // the test takes, diffs and restores several: genuinely slow on a busy machine.
  it('lists the checkpoint taken before a write, diffs it and restores it (undoably), forks at it', {
    timeout: 120_000,
  }, async () => {
    const t = await startTestServer({
      script: [
        {
          text: 'Writing.',
          toolCalls: [{ name: 'write_file', arguments: { path: 'README.md', content: '# changed\n' } }],
        },
        { text: 'Done.' },
      ],
    })
    const session = await createSession(t, { auto_approve: true })
    const sse = await sessionEvents(t, session.id)
    await postMessage(t, session.id, { content: 'change the readme' })
    await sse.collect((event) => event.event === 'run.finished')
    sse.close()
    expect(readFileSync(join(t.workspace, 'README.md'), 'utf8')).toBe('# changed\n')

    const list = (await (await t.api(`/api/v1/sessions/${session.id}/checkpoints`)).json()) as {
      items: { id: number; kind: string; session_id: string; message_count: number }[]
    }
    expect(list.items).toHaveLength(1)
    const [checkpoint] = list.items
    expect(checkpoint).toMatchObject({ kind: 'turn', session_id: session.id, message_count: 1 })

    const diff = (await (await t.api(`/api/v1/checkpoints/${checkpoint?.id}/diff`)).json()) as {
      checkpoint: { id: number }
      changes: { path: string; status: string }[]
      patch: string
    }
    expect(diff.checkpoint.id).toBe(checkpoint?.id)
    expect(diff.changes).toEqual([expect.objectContaining({ path: 'README.md', status: 'modified' })])
    expect(diff.patch).toContain('+# changed')

    const restored = await t.api(`/api/v1/checkpoints/${checkpoint?.id}/restore`, {
      method: 'POST',
      json: {},
    })
    expect(restored.status).toBe(200)
    const result = (await restored.json()) as {
      checkpoint: { id: number }
      undo_checkpoint_id: number
      changes: unknown[]
    }
    expect(result.checkpoint.id).toBe(checkpoint?.id)
    expect(result.undo_checkpoint_id).toBeGreaterThan(checkpoint?.id ?? 0)
    expect(readFileSync(join(t.workspace, 'README.md'), 'utf8')).toBe('# sample\n')
    const after = (await (await t.api(`/api/v1/sessions/${session.id}`)).json()) as { message_count: number }
    expect(after.message_count).toBe(1)

    // Undo the restore.
    await t.api(`/api/v1/checkpoints/${result.undo_checkpoint_id}/restore`, { method: 'POST' })
    expect(readFileSync(join(t.workspace, 'README.md'), 'utf8')).toBe('# changed\n')

    const fork = await t.api(`/api/v1/sessions/${session.id}/fork`, {
      method: 'POST',
      json: { checkpoint_id: checkpoint?.id },
    })
    expect(fork.status).toBe(201)
    const forked = (await fork.json()) as {
      id: string
      parent_id: string
      message_count: number
      auto_approve: boolean
    }
    expect(forked).toMatchObject({ parent_id: session.id, message_count: 1, auto_approve: true })
    expect(forked.id).not.toBe(session.id)

    expect((await t.api(`/api/v1/sessions/${forked.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await t.api(`/api/v1/sessions/${forked.id}`)).status).toBe(404)

    // Deleting the original drops its checkpoints, and the snapshots nothing refers to any more.
    const commits = (await t.server.store.listCheckpoints(session.id)).map((c) => c.commit as string)
    const repo = await openShadowRepo({ dataDir: t.dataDir, workspace: t.workspace })
    const exists = (commit: string) =>
      spawnSync('git', ['--git-dir', repo.gitDir, 'cat-file', '-e', `${commit}^{commit}`]).status === 0
    expect(commits.length).toBeGreaterThan(0)
    expect(commits.every(exists)).toBe(true)
    expect((await t.api(`/api/v1/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(commits.some(exists)).toBe(false)
  })

  it('restores with keep_messages: the whole turn leaves the conversation; its undo brings it back', {
    timeout: 120_000,
  }, async () => {
    const t = await startTestServer({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'README.md', content: '# changed\n' } }] },
        { text: 'Done.' },
      ],
    })
    const session = await createSession(t, { auto_approve: true })
    const sse = await sessionEvents(t, session.id)
    await postMessage(t, session.id, { content: 'change it' })
    await sse.collect((event) => event.event === 'run.finished')
    sse.close()
    const messages = (await (await t.api(`/api/v1/sessions/${session.id}/messages`)).json()) as {
      items: { id: number; role: string }[]
    }
    expect(messages.items.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
    const list = (await (await t.api(`/api/v1/sessions/${session.id}/checkpoints`)).json()) as {
      items: { id: number; message_count: number; message_ranges: [number, number][] }[]
    }
    const [checkpoint] = list.items
    // The checkpoint holds the prompt: the ids of the conversation at that moment.
    const promptId = messages.items[0]!.id
    expect(checkpoint).toMatchObject({ message_count: 1, message_ranges: [[promptId, promptId]] })

    const bad = await t.api(`/api/v1/checkpoints/${checkpoint!.id}/restore`, {
      method: 'POST',
      json: { keep_messages: -1 },
    })
    expect(bad.status).toBe(400)
    expect(readFileSync(join(t.workspace, 'README.md'), 'utf8')).toBe('# changed\n')

    const restored = await t.api(`/api/v1/checkpoints/${checkpoint!.id}/restore`, {
      method: 'POST',
      json: { keep_messages: 0 },
    })
    expect(restored.status).toBe(200)
    const result = (await restored.json()) as { message_count: number; undo_checkpoint_id: number }
    expect(result.message_count).toBe(0)
    expect(readFileSync(join(t.workspace, 'README.md'), 'utf8')).toBe('# sample\n')
    const after = (await (await t.api(`/api/v1/sessions/${session.id}`)).json()) as { message_count: number }
    expect(after.message_count).toBe(0)

    const undo = await t.api(`/api/v1/checkpoints/${result.undo_checkpoint_id}/restore`, { method: 'POST' })
    expect(((await undo.json()) as { message_count: number }).message_count).toBe(4)
    expect(readFileSync(join(t.workspace, 'README.md'), 'utf8')).toBe('# changed\n')
  })

  it('lists sessions newest first, filtered by workspace', async () => {
    const t = await startTestServer()
    const first = await createSession(t, { title: 'first' })
    const second = await createSession(t, { title: 'second' })
    const list = (await (await t.api('/api/v1/sessions')).json()) as {
      items: { id: string; title: string }[]
    }
    expect(list.items.map((s) => s.id)).toEqual([second.id, first.id])
    const filtered = (await (
      await t.api(`/api/v1/sessions?workspace=${encodeURIComponent('/elsewhere')}`)
    ).json()) as {
      items: unknown[]
    }
    expect(filtered.items).toEqual([])
    const here = (await (await t.api('/api/v1/sessions?workspace=repo')).json()) as { items: unknown[] }
    expect(here.items).toHaveLength(2)
    const limited = (await (await t.api('/api/v1/sessions?limit=1')).json()) as { items: unknown[] }
    expect(limited.items).toHaveLength(1)
  })
})
