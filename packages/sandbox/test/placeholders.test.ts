import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { PlaceholderJournal } from '../src/placeholders.js'
import { visibleTempDir } from './helpers.js'

// The journal behind "placeholders never outlive Penguin": what a killed process left is swept at
// the next start, what a running command relies on never is. Through the real CLI and a real
// SIGKILL: apps/cli/test/cli-planted-config.test.ts.

const cleanup: string[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function fixture() {
  const base = await visibleTempDir('penguin-placeholders-')
  cleanup.push(base)
  const journals = join(base, 'journals')
  const workspace = join(base, 'work')
  await mkdir(workspace)
  return { journals, workspace }
}

/** A pid that was a process and is no more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(child.stdout.toString())
}

describe('placeholder journal', () => {
  test("a dead process's placeholders are removed, only when empty; a live command's held entry stays", async () => {
    const { journals, workspace } = await fixture()
    const [empty, filled, held] = ['.penguin', '.claude', '.mcp.json'].map((name) =>
      join(workspace, name),
    ) as [string, string, string]
    await Promise.all([mkdir(empty), mkdir(filled), mkdir(held)])
    await writeFile(join(filled, 'settings.json'), '{}')
    await mkdir(journals)
    const dead = { pid: deadPid(), started: '1', made: [empty, filled, held], held: [], ended: false }
    await writeFile(join(journals, `${dead.pid}-a.json`), JSON.stringify(dead))
    // A half-written journal of a dead process goes too.
    await writeFile(join(journals, `${dead.pid}-b.json`), '{"pid":')
    // This process runs a command that mounted .mcp.json as it found it.
    const running = await new PlaceholderJournal(journals).record([], [held])

    expect(await new PlaceholderJournal(journals).sweep()).toEqual([empty])
    expect(existsSync(empty)).toBe(false)
    expect(existsSync(filled)).toBe(true)
    expect(existsSync(held)).toBe(true)
    expect((await readdir(journals)).length).toBe(1)
    await running.release()
    expect(await readdir(journals)).toEqual([])
  })

  test('a command ending while another still relies on its placeholder leaves it to the last', async () => {
    const { journals, workspace } = await fixture()
    const placeholder = join(workspace, '.penguin')
    await mkdir(placeholder)
    const journal = new PlaceholderJournal(journals)
    const first = await journal.record([placeholder], [])
    const second = await journal.record([], [placeholder])
    await first.release()
    expect(existsSync(placeholder)).toBe(true)
    await second.release()
    // The first's ended record is swept by the next start.
    expect(await new PlaceholderJournal(journals).sweep()).toEqual([placeholder])
    expect(existsSync(placeholder)).toBe(false)
    expect(await readdir(journals)).toEqual([])
  })
})
