import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openStore } from '../src/index.js'
import { registerCleanup, tempDir } from './helpers.js'

const WRITER = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url))
const PER_WRITER = 300

interface Writer {
  /** Resolves once the child has loaded the store and waits for the start signal. */
  ready: Promise<void>
  start(): void
  result: Promise<{ label: string; ids: number[] }>
}

function spawnWriter(path: string, label: string): Writer {
  const child = spawn(process.execPath, [WRITER, path, label, String(PER_WRITER)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let onReady = () => {}
  const ready = new Promise<void>((resolve) => {
    onReady = resolve
  })
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (stdout.startsWith('ready\n')) onReady()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const result = new Promise<{ label: string; ids: number[] }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout.slice('ready\n'.length)))
      else reject(new Error(`writer ${label} exited ${code}: ${stderr}`))
    })
  })
  return { ready: Promise.race([ready, result.then(() => {})]), start: () => child.stdin.end('go\n'), result }
}

describe('two processes writing one database file', () => {
  // Two Node processes each load the store and write 300 tasks against each other's locks: real
  // work that a busy machine stretches far beyond the default bound.
  it('lose nothing and fail nothing, even when both create the file', { timeout: 120_000 }, async () => {
    const path = join(tempDir(), 'shared.db')
    // Both load first, then start at the same signal, so they overlap however slow the machine is.
    const writers = [spawnWriter(path, 'A'), spawnWriter(path, 'B')]
    await Promise.all(writers.map((writer) => writer.ready))
    for (const writer of writers) writer.start()
    const results = await Promise.all(writers.map((writer) => writer.result))

    const store = openStore({ path })
    registerCleanup(() => store.close())
    const project = store.requireProject('shared')
    const tasks = store.listTasks(project.id)
    expect(tasks).toHaveLength(2 * PER_WRITER)
    for (const { label, ids } of results) {
      const byId = new Map(tasks.map((task) => [task.id, task]))
      ids.forEach((id, i) => {
        const task = byId.get(id)
        expect(task?.title).toBe(`${label} ${i}`)
        if (i > 0) expect(task?.dependsOn).toContain(ids[i - 1])
      })
    }
    expect(store.requireProject('shared').tokensUsed).toBe((2 * PER_WRITER) / 50)
    const created = store.listEvents({ projectId: project.id }).filter((e) => e.type === 'task.created')
    expect(created).toHaveLength(2 * PER_WRITER)
    // Both writers really did overlap: their tasks interleave.
    const labels = tasks.map((task) => task.title.split(' ')[0])
    const switches = labels.filter((label, i) => i > 0 && label !== labels[i - 1]).length
    expect(switches).toBeGreaterThan(1)

    const check = new Database(path, { readonly: true })
    registerCleanup(() => check.close())
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(check.pragma('foreign_key_check')).toEqual([])
  })
})
