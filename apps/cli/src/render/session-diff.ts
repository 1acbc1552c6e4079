/**
 * `/diff`: a unified patch of the workspace since the session's first checkpoint, one file at a
 * time — the file's name with its +/− counts, then its numbered diff. Pure; every chat uses it.
 */
import { numberedDiff } from './numbered-diff.js'
import type { Painter } from './paint.js'
import { paintVisible } from './visible.js'

export const NO_SESSION_CHANGES = 'No changes in this session yet.'
export const CHANGES_UNDONE =
  'No changes in this session (the workspace is as it was before the first change).'

export function renderSessionDiff(patch: string, options: { paint: Painter; width: number }): string {
  const { paint, width } = options
  if (!patch.trim()) return CHANGES_UNDONE
  const rows: string[] = []
  for (const file of patch.split(/^(?=diff --git )/m)) {
    if (!file.trim()) continue
    const after = /^\+\+\+ (?:b\/)?(.*)$/m.exec(file)?.[1]
    const before = /^--- (?:a\/)?(.*)$/m.exec(file)?.[1]
    const name = after && after !== '/dev/null' ? after : (before ?? after ?? '?')
    const added = (file.match(/^\+(?!\+\+ )/gm) ?? []).length
    const removed = (file.match(/^-(?!-- )/gm) ?? []).length
    rows.push(`${paint.bold(paintVisible(name, paint))} ${paint.dim(`(+${added} -${removed})`)}`)
    rows.push(...numberedDiff(file, { paint, width, indent: '  ' }))
  }
  return rows.join('\n')
}
