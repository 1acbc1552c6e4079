/**
 * Untrusted text (commands, paths, diffs, summaries) for the terminal: invisible characters spelled
 * out and marked, long lines wrapped rather than cut. Pure.
 */
import { type TextSegment, visibleSegments } from '@penguin-ai/tools/details'
import type { Painter } from './paint.js'

/** `text` as the terminal should print it: escapes spelled out (reverse video with colour), on one line. */
export function paintVisible(text: string, paint: Painter): string {
  return paintSegments(visibleSegments(text), paint)
}

export function paintSegments(segments: readonly TextSegment[], paint: Painter): string {
  return segments.map((segment) => (segment.control ? paint.inverse(segment.text) : segment.text)).join('')
}

/**
 * `text` split at its newlines and wrapped at `width` columns, invisible characters spelled out
 * (never split inside one): every character of the text appears in exactly one row.
 */
export function wrapVisible(text: string, width: number): TextSegment[][] {
  const columns = Math.max(8, width)
  const rows: TextSegment[][] = []
  for (const line of text.split('\n')) {
    let row: TextSegment[] = []
    let used = 0
    const push = (segment: TextSegment) => {
      const last = row.at(-1)
      if (last && last.control === segment.control && !segment.control) last.text += segment.text
      else row.push({ ...segment })
      used += [...segment.text].length
    }
    const flush = () => {
      rows.push(row)
      row = []
      used = 0
    }
    for (const segment of visibleSegments(line)) {
      if (segment.control) {
        if (used > 0 && used + segment.text.length > columns) flush()
        push(segment)
        continue
      }
      for (const char of segment.text) {
        if (used >= columns) flush()
        push({ text: char, control: false })
      }
    }
    flush()
  }
  return rows
}
