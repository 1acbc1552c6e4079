/**
 * The empty directories mounted where a protected entry is missing (`.penguin`, `.mcp.json`, …, see
 * protect.ts) exist on the disk while a command runs: bubblewrap creates them through the writable
 * workspace. They go again when the command ends — and if Penguin is killed before that (SIGKILL, a
 * crash, a power cut), the next Penguin to start a sandbox removes them. Each command's placeholders
 * are written down first, in a journal under Penguin's data directory (hidden from commands, so a
 * command cannot add to it), with the process that owns them; a journal whose process is gone is
 * swept. A placeholder another live command relies on (it found the directory there and mounted it)
 * is left to whoever comes after; only empty directories are ever removed.
 */

import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'

const JournalSchema = z.object({
  pid: z.int(),
  /** The process's start time (field 22 of /proc/PID/stat): a reused pid is another process. */
  started: z.string(),
  /** Placeholders this command made, to remove when it ends. */
  made: z.array(z.string()),
  /** Protected entries this command mounted as they were: not to be removed while it runs. */
  held: z.array(z.string()),
  /** The command ended; `made` lists what it could not remove then (another command held it). */
  ended: z.boolean(),
})
type Journal = z.infer<typeof JournalSchema>

/** The journal of one command's placeholders; `release` removes them (and the journal) afterwards. */
export interface PlaceholderRecord {
  release(): Promise<void>
}

const journals = new Map<string, PlaceholderJournal>()

/** The journal kept in `dir` (one per directory and process, so it is swept once). */
export function placeholderJournal(dir: string): PlaceholderJournal {
  const known = journals.get(dir)
  if (known) return known
  const journal = new PlaceholderJournal(dir)
  journals.set(dir, journal)
  return journal
}

export class PlaceholderJournal {
  private swept: Promise<string[]> | undefined

  constructor(readonly dir: string) {}

  /**
   * Removes what earlier processes that are gone left behind (once per journal directory and
   * process); resolves to the paths removed. Never fails: a placeholder that cannot be removed stays.
   */
  sweep(): Promise<string[]> {
    this.swept ??= sweepJournals(this.dir).catch(() => [])
    return this.swept
  }

  /** Writes down `made` (before the command runs) and what it holds; best effort. */
  async record(made: string[], held: string[]): Promise<PlaceholderRecord> {
    const file = join(this.dir, `${process.pid}-${randomBytes(6).toString('hex')}.json`)
    const journal: Journal = {
      pid: process.pid,
      started: startTime(process.pid) ?? '',
      made,
      held,
      ended: false,
    }
    const written = await mkdir(this.dir, { recursive: true, mode: 0o700 })
      .then(() => writeFile(file, JSON.stringify(journal), { mode: 0o600 }))
      .then(
        () => true,
        () => false,
      )
    return {
      release: async () => {
        // What another running command (of this process or another) relies on stays for now.
        const others = await running(this.dir, file)
        const left: string[] = []
        for (const path of made) {
          if (others.has(path)) left.push(path)
          else await rmdir(path).catch(() => undefined)
        }
        if (!written) return
        if (left.length) {
          const ended: Journal = { ...journal, made: left, held: [], ended: true }
          await writeFile(file, JSON.stringify(ended)).catch(() => undefined)
        } else await rm(file, { force: true })
      },
    }
  }
}

async function sweepJournals(dir: string): Promise<string[]> {
  const live = await running(dir)
  const removed: string[] = []
  for (const { file, journal } of await readJournals(dir)) {
    if (isRunning(journal)) continue
    for (const path of journal.made) {
      if (live.has(path)) continue
      // rmdir removes only an empty directory: what has since become something else stays.
      if (
        await rmdir(path).then(
          () => true,
          () => false,
        )
      )
        removed.push(path)
    }
    await rm(file, { force: true })
  }
  return removed
}

/** What the commands still running (journals other than `own`) made or hold. */
async function running(dir: string, own?: string): Promise<Set<string>> {
  const journals = await readJournals(dir)
  return new Set(
    journals
      .filter((entry) => entry.file !== own && isRunning(entry.journal))
      .flatMap(({ journal }) => [...journal.made, ...journal.held]),
  )
}

/** A command that has not ended, of a process still there. */
function isRunning(journal: Journal): boolean {
  if (journal.ended) return false
  const started = startTime(journal.pid)
  return started !== undefined && started === journal.started
}

async function readJournals(dir: string): Promise<Array<{ file: string; journal: Journal }>> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json'))
  } catch {
    return []
  }
  const entries = await Promise.all(
    names.map(async (name) => {
      const file = join(dir, name)
      const parsed = await readFile(file, 'utf8')
        .then(
          (text) => JournalSchema.safeParse(JSON.parse(text)),
          () => undefined,
        )
        .catch(() => undefined)
      if (parsed?.success) return { file, journal: parsed.data }
      // Half written by a process killed while writing it (nothing was mounted yet): gone with it.
      const pid = Number.parseInt(name, 10)
      if (Number.isInteger(pid) && startTime(pid) === undefined) await rm(file, { force: true })
      return undefined
    }),
  )
  return entries.filter((entry) => entry !== undefined)
}

/** A process's start time in clock ticks since boot, or undefined when there is no such process. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}
