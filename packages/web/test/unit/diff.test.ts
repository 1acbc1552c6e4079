import { describe, expect, it } from 'vitest'
import { parseDiff } from '../../src/app/diff/parse-diff.js'

// What the tools' unifiedDiff (jsdiff's createTwoFilesPatch) produces.
const JSDIFF = `===================================================================
--- a/README.md
+++ b/README.md
@@ -1,3 +1,4 @@
 # sample
-old line
+new line
+another
 end
\\ No newline at end of file
`

// git diff with two files, one of them new; the second file header follows a hunk that ends on
// a removed line, so "--- a/…" must not be read as a removal.
const GIT = `diff --git a/a.txt b/a.txt
index 1111111..2222222 100644
--- a/a.txt
+++ b/a.txt
@@ -1,2 +1 @@
 keep
-drop
diff --git a/new.txt b/new.txt
new file mode 100644
--- /dev/null
+++ b/new.txt
@@ -0,0 +1,2 @@
+one
+two
`

describe('parseDiff', () => {
  it('numbers and classifies the lines of a jsdiff patch and drops its separator', () => {
    const parsed = parseDiff(JSDIFF)
    expect(parsed.files).toEqual(['README.md'])
    expect(parsed.additions).toBe(2)
    expect(parsed.deletions).toBe(1)
    expect(parsed.lines.map((line) => line.kind)).toEqual([
      'file',
      'file',
      'hunk',
      'context',
      'del',
      'add',
      'add',
      'context',
      'note',
    ])
    expect(parsed.lines[3]).toMatchObject({ oldLine: 1, newLine: 1 })
    expect(parsed.lines[4]).toMatchObject({ kind: 'del', oldLine: 2 })
    expect(parsed.lines[4]?.newLine).toBeUndefined()
    expect(parsed.lines[5]).toMatchObject({ kind: 'add', newLine: 2 })
    expect(parsed.lines[7]).toMatchObject({ oldLine: 3, newLine: 4 })
  })

  it('follows hunk counts across several files of a git diff', () => {
    const parsed = parseDiff(GIT)
    expect(parsed.files).toEqual(['a.txt', 'new.txt'])
    expect(parsed.deletions).toBe(1)
    expect(parsed.additions).toBe(2)
    const kinds = parsed.lines.map((line) => `${line.kind}:${line.text}`)
    expect(kinds).toContain('file:--- /dev/null')
    expect(kinds).toContain('meta:new file mode 100644')
    expect(parsed.lines.filter((line) => line.kind === 'add').map((line) => line.newLine)).toEqual([1, 2])
  })

  it('handles empty input and diffs without numbers', () => {
    expect(parseDiff('')).toEqual({ lines: [], files: [], additions: 0, deletions: 0 })
    const parsed = parseDiff('--- a/x.ts\n+++ b/x.ts\n@@ edit @@\n-a\n-b\n+c\n')
    expect(parsed.files).toEqual(['x.ts'])
    expect(parsed.lines.map((line) => line.text)).toEqual([
      '--- a/x.ts',
      '+++ b/x.ts',
      '@@ edit @@',
      '-a',
      '-b',
      '+c',
    ])
    expect(parsed.lines.every((line) => line.oldLine === undefined && line.newLine === undefined)).toBe(true)
  })
})
