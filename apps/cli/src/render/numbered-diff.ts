/**
 * A unified diff with line numbers: `  12 - old` / `  12 + new` / `  13   context`, removed lines
 * red, added green, the old number on removals and the new one elsewhere; file headers left out
 * (the caller names the file), hunks separated by a dim `⋯`. Invisible characters are spelled out
 * and marked; long lines wrap under their text. Pure.
 */
import type { Painter } from './paint.js'
import { wrapVisible } from './visible.js'

export interface NumberedDiffOptions {
  paint: Painter
  /** Columns available. */
  width: number
  /** Put before every row. */
  indent?: string
}

export function numberedDiff(diff: string, options: NumberedDiffOptions): string[] {
  const { paint } = options
  const indent = options.indent ?? ''
  const lines = diff.endsWith('\n') ? diff.slice(0, -1).split('\n') : diff.split('\n')
  const widest = Math.max(
    3,
    ...[...diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)].map(
      (m) => String(Math.max(Number(m[1]) + Number(m[2] ?? 1), Number(m[3]) + Number(m[4] ?? 1))).length,
    ),
  )
  const rows: string[] = []
  let oldLine = 0
  let newLine = 0
  let hunks = 0
  for (const line of lines) {
    if (
      line.startsWith('--- ') ||
      line.startsWith('+++ ') ||
      line.startsWith('diff ') ||
      line.startsWith('index ')
    )
      continue
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line)
    if (hunk) {
      oldLine = Number(hunk[1])
      newLine = Number(hunk[2])
      if (hunks++ > 0) rows.push(`${indent}${paint.dim(`${' '.repeat(widest)} ⋯`)}`)
      continue
    }
    if (line.startsWith('\\')) {
      rows.push(`${indent}${paint.dim(`${' '.repeat(widest)}   ${line.slice(2)}`)}`)
      continue
    }
    const sign = line[0] === '+' || line[0] === '-' ? line[0] : ' '
    const number = sign === '-' ? oldLine++ : newLine++
    if (sign === ' ') oldLine++
    const tone = sign === '+' ? paint.green : sign === '-' ? paint.red : (text: string) => text
    const gutter = `${String(number).padStart(widest)} ${sign} `
    const room = options.width - indent.length - gutter.length
    wrapVisible(line.slice(1), room).forEach((segments, index) => {
      const text = segments.map((s) => (s.control ? paint.inverse(s.text) : tone(s.text))).join('')
      const lead = index === 0 ? gutter : ' '.repeat(gutter.length)
      rows.push(`${indent}${paint.dim(lead.slice(0, widest))}${tone(lead.slice(widest))}${text}`)
    })
  }
  return rows
}
