/** ACP diff content needs both texts: one from disk, the other from Penguin's unified diff. */
import { describe, expect, test } from 'vitest'
import { applyUnifiedDiff } from '../src/acp/patch-text.js'

const OLD = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n'
const NEW = 'one\nTWO\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\n'
const DIFF = [
  '--- a/f.txt',
  '+++ b/f.txt',
  '@@ -1,3 +1,3 @@',
  ' one',
  '-two',
  '+TWO',
  ' three',
  '@@ -9,2 +9,3 @@',
  ' nine',
  ' ten',
  '+eleven',
].join('\n')

describe('applyUnifiedDiff', () => {
  test('forwards turns the old text into the new, backwards the new into the old (several hunks)', () => {
    expect(applyUnifiedDiff(OLD, DIFF, 'forward')).toBe(NEW)
    expect(applyUnifiedDiff(NEW, DIFF, 'backward')).toBe(OLD)
  })

  test('a new file: from nothing, and back to nothing', () => {
    const diff = '@@ -0,0 +1,2 @@\n+hello\n+world'
    expect(applyUnifiedDiff('', diff, 'forward')).toBe('hello\nworld\n')
    expect(applyUnifiedDiff('hello\nworld\n', diff, 'backward')).toBe('')
  })

  test('hunks that do not match the text (it changed since) give undefined, not a wrong text', () => {
    expect(applyUnifiedDiff('something else\n', DIFF, 'forward')).toBeUndefined()
    expect(applyUnifiedDiff(OLD, 'no hunks here', 'forward')).toBeUndefined()
  })
})
