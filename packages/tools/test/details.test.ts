import { describe, expect, it } from 'vitest'
import {
  capDetails,
  hasInvisible,
  normalizeDetails,
  normalizePreview,
  oneLine,
  ToolDetailsSchema,
  visibleSegments,
  visibleText,
} from '../src/details/index.js'

describe('visible text', () => {
  it('spells out terminal escapes, carriage returns and bidi overrides', () => {
    expect(visibleText('ls\u001b[2K\r\u001b[1A? Allow ls')).toBe('ls\\x1b[2K\\r\\x1b[1A? Allow ls')
    expect(visibleText('a\u202Eb\u2066c\u200Bd\uFEFF')).toBe('a\\u{202E}b\\u{2066}c\\u{200B}d\\u{FEFF}')
    expect(visibleText('tab\there\u0000\u007f\u009b')).toBe('tab\\there\\x00\\x7f\\x9b')
    expect(visibleText('é 中文 👍 ~/x')).toBe('é 中文 👍 ~/x')
  })

  it('keeps newlines as line breaks only when asked', () => {
    expect(visibleText('a\nb')).toBe('a\\nb')
    expect(visibleText('a\nb\r\n', { newlines: true })).toBe('a\nb\\r\n')
  })

  it('marks which segments are spelled out, for renderers that style them', () => {
    expect(visibleSegments('rm\u001b[8m -rf')).toEqual([
      { text: 'rm', control: false },
      { text: '\\x1b', control: true },
      { text: '[8m -rf', control: false },
    ])
    expect(hasInvisible('plain text')).toBe(false)
    expect(hasInvisible('x\u001by')).toBe(true)
  })

  it('oneLine collapses whitespace and cuts with an ellipsis', () => {
    expect(oneLine('  npm  test\n&& echo\tok ')).toBe('npm test && echo ok')
    expect(oneLine('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`)
  })
})

describe('normalizeDetails', () => {
  it('keeps valid details, dropping keys the schema does not know, and flattens the summary', () => {
    const details = normalizeDetails(
      { kind: 'todo', summary: 'two\nlines', todos: [{ content: 'x', status: 'pending' }], extra: 1 },
      'fallback',
    )
    expect(details).toEqual({
      kind: 'todo',
      summary: 'two lines',
      todos: [{ content: 'x', status: 'pending' }],
    })
  })

  it('wraps details that do not fit the schema as generic data, and supplies missing ones', () => {
    expect(normalizeDetails({ kind: 'command', exitCode: 'zero' }, 'npm test')).toEqual({
      kind: 'generic',
      summary: 'npm test',
      data: { kind: 'command', exitCode: 'zero' },
    })
    expect(normalizeDetails(undefined, 'a.txt — File not found')).toEqual({
      kind: 'generic',
      summary: 'a.txt — File not found',
    })
    expect(normalizeDetails('text', 'x')).toEqual({ kind: 'generic', summary: 'x' })
  })

  it('accepts an MCP result, so an MCP tool renders without anyone knowing its name', () => {
    const mcp = {
      kind: 'mcp',
      summary: 'everything/echo',
      server: 'everything',
      tool: 'echo',
      content: [
        { type: 'text', text: 'Echo: hi' },
        { type: 'image', mimeType: 'image/png' },
      ],
    }
    expect(ToolDetailsSchema.parse(mcp)).toEqual(mcp)
  })

  it('previews that do not fit become generic previews of the arguments', () => {
    expect(normalizePreview({ kind: 'command' }, { command: 'ls' }, 'ls')).toEqual({
      kind: 'generic',
      summary: 'ls',
      args: { command: 'ls' },
    })
  })
})

describe('capDetails', () => {
  it('keeps the head and tail of command output and the first lines of a diff', () => {
    const capped = capDetails(
      {
        kind: 'command',
        summary: 's',
        command: 'c',
        cwd: '.',
        exitCode: 0,
        signal: null,
        timedOut: false,
        aborted: false,
        durationMs: 1,
        stdout: `${'a'.repeat(500)}${'b'.repeat(500)}`,
        stderr: '',
      },
      100,
    )
    expect(capped.kind === 'command' && capped.stdout).toMatch(
      /^a{50}\n… \[900 characters omitted\] …\nb{50}$/,
    )
    const diff = [
      '--- a/x',
      '+++ b/x',
      '@@ -1,40 +1,40 @@',
      ...Array.from({ length: 40 }, (_, i) => `+line ${i}`),
    ].join('\n')
    const edit = capDetails(
      {
        kind: 'file-edit',
        summary: 's',
        files: [{ path: 'x', operation: 'modify', added: 40, removed: 0, diff }],
      },
      100,
    )
    const kept = edit.kind === 'file-edit' ? (edit.files[0]?.diff ?? '') : ''
    expect(kept.length).toBeLessThan(200)
    expect(kept).toMatch(/^--- a\/x\n\+\+\+ b\/x\n@@/)
    expect(kept).toMatch(/\\ … \d+ more diff lines not kept\n$/)
  })
})
