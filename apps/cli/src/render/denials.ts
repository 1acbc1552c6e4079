import type { DenialReason, EngineEvent } from '@penguin-ai/engine'
import { oneLine, visibleText } from '@penguin-ai/tools/details'

export interface Denial {
  tool: string
  subject: string
  reason: DenialReason
}

const WHY: Record<DenialReason, string> = {
  rule: 'a deny rule',
  user: 'you said no',
  non_interactive: 'needs approval; rerun with --yes or allow it in config',
  protected: 'writes to .git/ or agent configuration, which only an explicit yes at a terminal allows',
  hook: 'a hook or plugin refused it',
}

/**
 * Keeps count of a run's refused calls and of the calls that did change something (writes and
 * commands that succeeded), to tell a run that finished its task from one whose every change was
 * denied (which `penguin run` reports and exits 1 for).
 */
export class DenialLog {
  readonly denied: Denial[] = []
  private changes = 0

  constructor(private readonly isReadOnly: (tool: string) => boolean) {}

  observe(event: EngineEvent): void {
    if (event.type !== 'tool.finished') return
    const details = event.details as typeof event.details | undefined // an older server may send none
    if (details?.kind === 'denied') {
      this.denied.push({ tool: event.tool, subject: details.subject, reason: details.denied })
    } else if (!event.isError && !this.isReadOnly(event.tool)) {
      // A write that failed (a bad path, an edit that did not match) changed nothing either.
      this.changes++
    }
  }

  /** Calls were denied and nothing that writes or runs went through: the task could not be done. */
  get blocked(): boolean {
    return this.denied.length > 0 && this.changes === 0
  }

  /** `denied 2 calls: write_file notes.md (…), run_command npm test (…)`, or undefined. */
  describe(): string | undefined {
    if (!this.denied.length) return undefined
    const shown = this.denied
      .slice(0, 5)
      // The subject is the model's text (a command line): spelled out, it cannot move the cursor.
      .map((d) => `${d.tool}${d.subject ? ` ${visibleText(oneLine(d.subject, 80))}` : ''} (${WHY[d.reason]})`)
    const more = this.denied.length > shown.length ? `, and ${this.denied.length - shown.length} more` : ''
    const count = this.denied.length === 1 ? '1 call' : `${this.denied.length} calls`
    return `denied ${count}: ${shown.join(', ')}${more}`
  }
}
