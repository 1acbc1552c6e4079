import type { FileChange } from '@penguin-ai/checkpoints'
import { CliError, EXIT } from '../cli-error.js'
import { LineReader } from '../render/line-reader.js'

/** `M src/a.ts (+3 -1)` lines for what a restore will do to the workspace. */
export function describeChanges(changes: readonly FileChange[]): string {
  if (changes.length === 0) return '  (no file changes)'
  const mark = { added: 'A', modified: 'M', deleted: 'D' } as const
  return changes
    .map((change) => {
      const counts =
        change.additions !== undefined || change.deletions !== undefined
          ? ` (+${change.additions ?? 0} -${change.deletions ?? 0})`
          : change.binary
            ? ' (binary)'
            : ''
      return `  ${mark[change.status]} ${change.path}${counts}`
    })
    .join('\n')
}

/**
 * Files must never be overwritten silently: with --yes go ahead; at a terminal ask; otherwise stop
 * with exit 2 and say how to proceed.
 */
export async function confirmOverwrite(what: string, yes: boolean): Promise<void> {
  if (yes) return
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new CliError(
      `${what} would change the files listed above. Run again with --yes to go ahead.`,
      EXIT.usage,
    )
  }
  const reader = new LineReader(process.stdin, process.stderr, true)
  try {
    const answer = (await reader.read(`${what}? [y/N] `))?.trim().toLowerCase()
    if (answer !== 'y' && answer !== 'yes') throw new CliError('Nothing was changed.', EXIT.failed)
  } finally {
    reader.close()
  }
}
