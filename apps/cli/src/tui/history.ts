/**
 * Prompt history, per workspace: Up/Down walk it, and it survives the chat (one JSON line per
 * prompt under Penguin's data directory, `history/<hash of the workspace path>.jsonl`, owner-only).
 */
import { createHash } from 'node:crypto'
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { dataHome } from '../store/location.js'

const KEEP = 500

export function historyFile(workspace: string, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256').update(workspace).digest('hex').slice(0, 16)
  return join(dataHome(env), 'history', `${hash}.jsonl`)
}

export class PromptHistory {
  private entries: string[] = []
  /** Where Up/Down is: entries.length means "the prompt being typed". */
  private position = 0
  private draft = ''

  constructor(private readonly file: string | undefined) {}

  static async load(file: string | undefined): Promise<PromptHistory> {
    const history = new PromptHistory(file)
    if (!file) return history
    const text = await readFile(file, 'utf8').catch(() => '')
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      try {
        const entry = JSON.parse(line) as { prompt?: unknown }
        if (typeof entry.prompt === 'string') history.entries.push(entry.prompt)
      } catch {
        // A torn line (two chats writing at once) is skipped, not fatal.
      }
    }
    if (history.entries.length > KEEP * 2) {
      history.entries = history.entries.slice(-KEEP)
      await writeFile(file, history.entries.map((prompt) => `${JSON.stringify({ prompt })}\n`).join(''), {
        mode: 0o600,
      }).catch(() => {})
    }
    history.position = history.entries.length
    return history
  }

  get size(): number {
    return this.entries.length
  }

  /** Records a sent prompt (not a repeat of the one before). */
  async add(prompt: string): Promise<void> {
    this.position = this.entries.length
    if (!prompt.trim() || this.entries.at(-1) === prompt) {
      this.position = this.entries.length
      return
    }
    this.entries.push(prompt)
    this.position = this.entries.length
    if (!this.file) return
    try {
      await mkdir(join(this.file, '..'), { recursive: true, mode: 0o700 })
      await appendFile(this.file, `${JSON.stringify({ prompt })}\n`, { mode: 0o600 })
    } catch {
      // History is a convenience: a read-only home must not break the chat.
    }
  }

  /** The older prompt, or undefined at the oldest. `current` is kept to come back to. */
  previous(current: string): string | undefined {
    if (this.position === 0) return undefined
    if (this.position === this.entries.length) this.draft = current
    this.position--
    return this.entries[this.position]
  }

  /** The newer prompt, the draft after the newest, or undefined when already there. */
  next(): string | undefined {
    if (this.position >= this.entries.length) return undefined
    this.position++
    return this.position === this.entries.length ? this.draft : this.entries[this.position]
  }

  reset(): void {
    this.position = this.entries.length
  }
}
