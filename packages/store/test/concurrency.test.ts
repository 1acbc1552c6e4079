import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openStore } from '../src/index.js'
import { registerCleanup, tempDir } from './helpers.js'

const WRITER = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url))
const PER_WRITER = 300

function runWriter(path: string, label: string, startAt: number): Promise<{ label: string; ids: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, label, String(PER_WRITER), String(startAt)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout))
      else reject(new Error(`writer ${label} exited ${code}: ${stderr}`))
    })
  })
}

describe('two processes writing one database file', () => {
  it('lose nothing and fail nothing, even when both create the file', async () => {
    const path = join(tempDir(), 'shared.db')
    const startAt = Date.now() + 400
    const results = await Promise.all([runWriter(path, 'A', startAt), runWriter(path, 'B', startAt)])

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
