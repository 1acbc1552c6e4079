import { describe, expect, it } from 'vitest'
import { capOutput } from '../src/cap-output.js'

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n')

describe('capOutput', () => {
  it('returns short text unchanged', () => {
    expect(capOutput('hello\nworld', { maxChars: 100, maxLines: 10 })).toBe('hello\nworld')
  })

  it('keeps head and tail lines and says how much was left out', () => {
    const out = capOutput(numbered(100), { maxLines: 10 })
    const lines = out.split('\n')
    expect(lines.slice(0, 5)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5'])
    expect(lines.slice(-5)).toEqual(['line 96', 'line 97', 'line 98', 'line 99', 'line 100'])
    expect(lines[5]).toMatch(
      /^… \[\d[\d,]* characters \/ 90 lines omitted; narrow the command or read a range\] …$/,
    )
  })

  it('caps by characters, keeping whole lines, and formats counts with separators', () => {
    const text = numbered(5000)
    const out = capOutput(text, { maxChars: 1000, hint: 'try less' })
    expect(out.length).toBeLessThan(1200)
    expect(out.startsWith('line 1\nline 2\n')).toBe(true)
    expect(out.endsWith('line 5000')).toBe(true)
    expect(out).toMatch(/… \[\d{1,3},\d{3} characters \/ \d{1,3},\d{3} lines omitted; try less\] …/)
    // No partial lines at the seams.
    for (const line of out.split('\n')) expect(line).toMatch(/^(line \d+|… .* …)$/)
  })

  it('cuts a single huge line mid-line rather than dropping everything', () => {
    const out = capOutput('x'.repeat(10_000), { maxChars: 100 })
    expect(out).toContain('… [9,900 characters / 1 lines omitted')
    expect(out.startsWith('x'.repeat(50))).toBe(true)
    expect(out.endsWith('x'.repeat(50))).toBe(true)
  })
})
