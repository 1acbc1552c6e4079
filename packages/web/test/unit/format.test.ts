import type { ToolDetails } from '@penguin-ai/sdk'
import { describe, expect, it } from 'vitest'
import type { ToolItem } from '../../src/app/chat/chat-types.js'
import { splitFences } from '../../src/app/chat/message-text.js'
import { argumentsLine, cardTitle, exitCode } from '../../src/app/chat/tool-summary.js'
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
  const item = (patch: Partial<ToolItem>): ToolItem => ({
    kind: 'tool',
    key: 'k',
    callId: 'c',
    tool: 'any_tool',
    args: {},
    status: 'done',
    ...patch,
  })

  it('titles a card from its details, else its title, else its preview, else its arguments', () => {
    const details: ToolDetails = { kind: 'generic', summary: 'from details' }
    expect(cardTitle(item({ details, title: 't' }))).toBe('from details')
    expect(cardTitle(item({ title: 'from the start event' }))).toBe('from the start event')
    expect(
      cardTitle(
        item({
          permission: {
            id: 'p',
            access: 'write',
            subject: 's',
            state: 'pending',
            preview: { kind: 'generic', summary: 'from the preview', args: {} },
          },
        }),
      ),
    ).toBe('from the preview')
    expect(cardTitle(item({ args: { path: 'a.ts' } }))).toBe('{"path":"a.ts"}')
    expect(argumentsLine({})).toBe('')
  })

  it("reads a command's exit code from its details only, never from the model's text", () => {
    const command: ToolDetails = {
      kind: 'command',
      summary: 'x — exit 2',
      command: 'x',
      cwd: '.',
      exitCode: 2,
      signal: null,
      timedOut: false,
      aborted: false,
      durationMs: 1,
      stdout: '',
      stderr: '',
    }
    expect(exitCode(item({ details: command }))).toBe(2)
    expect(exitCode(item({ output: 'Exit code: 1\n[stderr]\nboom' }))).toBeUndefined()
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
