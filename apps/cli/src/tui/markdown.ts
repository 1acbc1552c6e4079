/**
 * The assistant's Markdown for the terminal, rendered as it streams: each line is drawn once it is
 * complete (so nothing already on screen changes — no flicker), and the line still arriving is
 * shown as it is. Headings, lists, quotes, rules, inline code/bold/italic/links, and fenced code
 * blocks with syntax highlighting. Model text is untrusted: control characters are spelled out
 * before any styling is added. Pure.
 */
import { visibleText } from '@penguin-ai/tools/details'
import { type Style, wrapAnsi } from './ansi.js'
import { highlightLine } from './highlight.js'

interface Fence {
  marker: string
  tag: string
}

export class MarkdownStream {
  private buffer = ''
  private fence: Fence | undefined

  constructor(
    private readonly style: Style,
    private width: number,
  ) {}

  resize(width: number): void {
    this.width = width
  }

  /** Adds streamed text; returns the rows of the lines it completed. */
  push(delta: string): string[] {
    this.buffer += delta
    const rows: string[] = []
    let newline = this.buffer.indexOf('\n')
    while (newline !== -1) {
      rows.push(...this.line(this.buffer.slice(0, newline)))
      this.buffer = this.buffer.slice(newline + 1)
      newline = this.buffer.indexOf('\n')
    }
    return rows
  }

  /** The line still arriving, as rows (empty when there is none). */
  partial(): string[] {
    if (!this.buffer) return []
    return this.fence ? this.codeRows(this.buffer, this.fence) : this.textRows(this.buffer)
  }

  /** The end of the message: the last line, and a code block left open is closed. */
  end(): string[] {
    const rows = this.buffer ? this.line(this.buffer) : []
    this.buffer = ''
    if (this.fence) {
      rows.push(this.style.dim('╰'))
      this.fence = undefined
    }
    return rows
  }

  private line(raw: string): string[] {
    const fenceMatch = /^\s*(`{3,}|~{3,})\s*(.*)$/.exec(raw)
    if (this.fence) {
      if (fenceMatch?.[1]?.startsWith(this.fence.marker) && !fenceMatch[2]?.trim()) {
        this.fence = undefined
        return [this.style.dim('╰')]
      }
      return this.codeRows(raw, this.fence)
    }
    if (fenceMatch) {
      const tag = safe(fenceMatch[2] ?? '').trim()
      this.fence = { marker: fenceMatch[1] ?? '```', tag }
      return [this.style.dim(`╭ ${tag || 'code'}`)]
    }
    return this.textRows(raw)
  }

  private codeRows(raw: string, fence: Fence): string[] {
    const code = safe(raw).replace(/\t/g, '    ')
    const gutter = this.style.dim('│ ')
    return wrapAnsi(`${gutter}${highlightLine(code, fence.tag, this.style)}`, this.width, gutter)
  }

  private textRows(raw: string): string[] {
    const s = this.style
    const text = safe(raw).replace(/\t/g, '    ')
    if (!text.trim()) return ['']
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(text)
    if (heading) {
      const body = inline(heading[2] ?? '', s)
      return wrapAnsi(heading[1] === '#' ? s.bold(s.underline(body)) : s.bold(body), this.width)
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(text)) return [s.dim('─'.repeat(Math.min(this.width, 40)))]
    const quote = /^\s*>\s?(.*)$/.exec(text)
    if (quote) {
      const bar = s.dim('│ ')
      return wrapAnsi(`${bar}${s.italic(inline(quote[1] ?? '', s))}`, this.width, bar)
    }
    const bullet = /^(\s*)([-*+])\s+(.*)$/.exec(text)
    if (bullet) {
      const indent = bullet[1] ?? ''
      const task = /^\[([ xX])\]\s+(.*)$/.exec(bullet[3] ?? '')
      const mark = task ? (task[1] === ' ' ? '☐' : s.green('☑')) : s.cyan('•')
      const body = task ? (task[2] ?? '') : (bullet[3] ?? '')
      return wrapAnsi(`${indent}${mark} ${inline(body, s)}`, this.width, `${indent}  `)
    }
    const ordered = /^(\s*)(\d+[.)])\s+(.*)$/.exec(text)
    if (ordered) {
      const indent = ordered[1] ?? ''
      const number = ordered[2] ?? ''
      return wrapAnsi(
        `${indent}${s.cyan(number)} ${inline(ordered[3] ?? '', s)}`,
        this.width,
        `${indent}${' '.repeat(number.length + 1)}`,
      )
    }
    if (/^\s*\|.*\|\s*$/.test(text)) {
      if (/^\s*\|[\s:|-]+\|\s*$/.test(text)) return [s.dim(text.replace(/[^|\s]/g, '─'))]
      return wrapAnsi(text.replace(/\|/g, s.dim('│')), this.width)
    }
    return wrapAnsi(inline(text, s), this.width)
  }
}

/** Spelled-out control characters: model text cannot move the cursor or recolour the screen. */
function safe(text: string): string {
  return visibleText(text, { tabs: true })
}

/** `code`, **bold**, *italic* / _italic_, [links](url). Code spans are left alone inside. */
export function inline(text: string, s: Style): string {
  const parts = text.split(/(`+[^`]*`+)/)
  return parts
    .map((part, index) => {
      if (index % 2 === 1) return s.cyan(part.replace(/^`+|`+$/g, ''))
      return part
        .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, (_, body: string) => s.bold(body))
        .replace(/__(?=\S)(.+?)(?<=\S)__/g, (_, body: string) => s.bold(body))
        .replace(
          /(^|[^*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?!\*)/g,
          (_, lead: string, body: string) => `${lead}${s.italic(body)}`,
        )
        .replace(
          /(^|[^_\w])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g,
          (_, lead: string, body: string) => `${lead}${s.italic(body)}`,
        )
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) =>
          label === url ? s.underline(url) : `${s.underline(label)}${s.dim(` (${url})`)}`,
        )
    })
    .join('')
}
