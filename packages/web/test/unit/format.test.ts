import { describe, expect, it } from 'vitest'
import { splitFences } from '../../src/app/chat/message-text.js'
import { exitCode, toolSubject } from '../../src/app/chat/tool-summary.js'
import { formatCost, formatDuration, formatTokens, formatWhen, pluralize } from '../../src/app/ui/format.js'

describe('format', () => {
  it('shortens numbers', () => {
    expect(formatTokens(950)).toBe('950')
    expect(formatTokens(1234)).toBe('1.23k')
    expect(formatTokens(12_345)).toBe('12.3k')
    expect(formatTokens(2_500_000)).toBe('2.5M')
    expect(formatCost(0)).toBe('$0.00')
    expect(formatCost(0.00421)).toBe('$0.0042')
    expect(formatCost(1.234)).toBe('$1.23')
    expect(formatDuration(12)).toBe('12 ms')
    expect(formatDuration(1500)).toBe('1.5 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
    expect(pluralize(1, 'task')).toBe('1 task')
    expect(pluralize(2, 'task')).toBe('2 tasks')
  })

  it('says when', () => {
    const now = Date.parse('2025-06-01T12:00:00Z')
    expect(formatWhen('2025-06-01T11:59:50Z', now)).toBe('just now')
    expect(formatWhen('2025-06-01T11:30:00Z', now)).toBe('30 min ago')
    expect(formatWhen('2025-06-01T09:00:00Z', now)).toBe('3 h ago')
    expect(formatWhen('garbage', now)).toBe('garbage')
  })
})

describe('tool summaries', () => {
  it('names what a call is about', () => {
    expect(toolSubject('run_command', { command: 'npm test' })).toBe('npm test')
    expect(toolSubject('edit_file', { path: 'a.ts' })).toBe('a.ts')
    expect(toolSubject('grep', { pattern: 'foo', path: 'src' })).toBe('/foo/ in src')
    expect(toolSubject('apply_patch', { patch: '--- a/x\n+++ b/x\n' })).toBe('x')
    expect(toolSubject('todo_write', { todos: [] })).toBe('')
  })

  it("reads a command's exit code from details or the stored output", () => {
    expect(exitCode({ exitCode: 2 }, undefined)).toBe(2)
    expect(exitCode(undefined, 'Exit code: 1\n[stderr]\nboom')).toBe(1)
    expect(exitCode(undefined, 'Timed out after 10 ms')).toBeUndefined()
  })
})

describe('splitFences', () => {
  it('separates code blocks from prose, including an unclosed block still streaming', () => {
    expect(splitFences('Look:\n```ts\nconst a = 1\n```\nDone.')).toEqual([
      { text: 'Look:', code: false },
      { text: 'const a = 1', code: true },
      { text: 'Done.', code: false },
    ])
    expect(splitFences('Start\n```\npartial')).toEqual([
      { text: 'Start', code: false },
      { text: 'partial', code: true },
    ])
    expect(splitFences('plain')).toEqual([{ text: 'plain', code: false }])
  })
})
