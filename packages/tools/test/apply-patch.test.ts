import { access, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parsePatchText } from '../src/patch/parse-patch.js'
import { applyPatchTool } from '../src/tools/apply-patch.js'
import { fixture } from './helpers.js'

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  )

const ORIGINAL_A = 'line 1\nline 2\nline 3\nline 4\nline 5\n'

describe('apply_patch', () => {
  it('modifies, creates and deletes files from a git-style diff', async () => {
    const f = await fixture({ 'src/a.ts': ORIGINAL_A, 'old.txt': 'bye\nnow\n' })
    const patch = [
      'diff --git a/src/a.ts b/src/a.ts',
      'index 1111111..2222222 100644',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -2,3 +2,4 @@',
      ' line 2',
      '-line 3',
      '+line three',
      '+line 3.5',
      ' line 4',
      'diff --git a/src/new.ts b/src/new.ts',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/src/new.ts',
      '@@ -0,0 +1,2 @@',
      '+export const x = 1',
      '+export const y = 2',
      'diff --git a/old.txt b/old.txt',
      'deleted file mode 100644',
      '--- a/old.txt',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-bye',
      '-now',
      '',
    ].join('\n')
    const result = await f.run(applyPatchTool, { patch })
    expect(result.isError).toBeUndefined()
    expect(result.output).toBe(
      'Applied patch to 3 files:\nM src/a.ts (+2 -1)\nA src/new.ts (+2 -0)\nD old.txt (+0 -2)',
    )
    expect(await f.read('src/a.ts')).toBe('line 1\nline 2\nline three\nline 3.5\nline 4\nline 5\n')
    expect(await f.read('src/new.ts')).toBe('export const x = 1\nexport const y = 2\n')
    expect(await exists(path.join(f.root, 'old.txt'))).toBe(false)
    expect(result.details).toMatchObject({
      kind: 'file-edit',
      summary: 'M src/a.ts, A src/new.ts, D old.txt (+4 -3)',
      files: [
        { path: 'src/a.ts', operation: 'modify', added: 2, removed: 1 },
        { path: 'src/new.ts', operation: 'add', added: 2, removed: 0 },
        { path: 'old.txt', operation: 'delete', added: 0, removed: 2 },
      ],
    })
  })

  it('tolerates line-number drift', async () => {
    const f = await fixture({ 'a.txt': `header 1\nheader 2\nheader 3\n${ORIGINAL_A}` })
    const patch = '--- a/a.txt\n+++ b/a.txt\n@@ -3,3 +3,3 @@\n line 3\n-line 4\n+LINE 4\n line 5\n'
    expect((await f.run(applyPatchTool, { patch })).isError).toBeUndefined()
    expect(await f.read('a.txt')).toBe(
      `header 1\nheader 2\nheader 3\nline 1\nline 2\nline 3\nLINE 4\nline 5\n`,
    )
  })

  it('forgives wrong hunk counts, blank context without a space and bare @@ headers', async () => {
    const f = await fixture({ 'a.txt': 'one\n\ntwo\nthree\n', 'b.txt': 'alpha\nbeta\n' })
    const patch = [
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1,2 +1,2 @@',
      ' one',
      '',
      '-two',
      '+TWO',
      '--- a/b.txt',
      '+++ b/b.txt',
      '@@',
      ' beta',
      '+gamma',
    ].join('\n')
    const result = await f.run(applyPatchTool, { patch })
    expect(result.output).toBe('Applied patch to 2 files:\nM a.txt (+1 -1)\nM b.txt (+1 -0)')
    expect(await f.read('a.txt')).toBe('one\n\nTWO\nthree\n')
    expect(await f.read('b.txt')).toBe('alpha\nbeta\ngamma\n')
  })

  it('writes nothing when any hunk fails, naming the file and hunk', async () => {
    const f = await fixture({ 'a.txt': ORIGINAL_A, 'b.txt': 'x\ny\nz\n' })
    const patch = [
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1,2 +1,2 @@',
      '-line 1',
      '+LINE 1',
      ' line 2',
      '--- a/b.txt',
      '+++ b/b.txt',
      '@@ -1,1 +1,1 @@',
      '-x',
      '+X',
      '@@ -3,1 +3,1 @@',
      '-not there',
      '+Z',
    ].join('\n')
    const result = await f.run(applyPatchTool, { patch })
    expect(result.isError).toBe(true)
    expect(result.output).toBe(
      "Hunk 2 of 2 for b.txt (@@ -3,1 @@) does not match the file's current content. Nothing was written. Re-read b.txt and make the patch's context and removed lines match it exactly.",
    )
    expect(await f.read('a.txt')).toBe(ORIGINAL_A)
    expect(await f.read('b.txt')).toBe('x\ny\nz\n')
  })

  it('restores files already written when a later write fails', async () => {
    const f = await fixture({ 'a.txt': ORIGINAL_A })
    // "blocker" is a file, so creating blocker/new.txt fails at write time, after a.txt was written.
    await writeFile(path.join(f.root, 'blocker'), 'I am a file')
    const patch = [
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1 +1 @@',
      '-line 1',
      '+changed',
      '--- /dev/null',
      '+++ b/blocker/new.txt',
      '@@ -0,0 +1 @@',
      '+new',
    ].join('\n')
    const result = await f.run(applyPatchTool, { patch })
    expect(result.isError).toBe(true)
    expect(result.output).toMatch(
      /^Writing blocker\/new.txt failed \(.*\)\. The files already written were restored/,
    )
    expect(await f.read('a.txt')).toBe(ORIGINAL_A)
    expect((await readdir(f.root)).sort()).toEqual(['a.txt', 'blocker'])
  })

  it('confines every path to the workspace', async () => {
    const f = await fixture({ 'a.txt': ORIGINAL_A })
    const patch = [
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1 +1 @@',
      '-line 1',
      '+pwned',
      '--- /dev/null',
      '+++ b/../escape.txt',
      '@@ -0,0 +1 @@',
      '+x',
    ].join('\n')
    const result = await f.run(applyPatchTool, { patch })
    expect(result.isError).toBe(true)
    expect(result.output).toMatch(/^Access denied: "..\/escape.txt" resolves to/)
    expect(await f.read('a.txt')).toBe(ORIGINAL_A)
    expect(await exists(path.join(path.dirname(f.root), 'escape.txt'))).toBe(false)
  })

  it('renames with git headers and handles missing trailing newlines', async () => {
    const f = await fixture({ 'old/name.ts': 'a\nb' })
    const patch = [
      'diff --git a/old/name.ts b/new/name.ts',
      'similarity index 90%',
      'rename from old/name.ts',
      'rename to new/name.ts',
      '--- a/old/name.ts',
      '+++ b/new/name.ts',
      '@@ -1,2 +1,2 @@',
      ' a',
      '-b',
      '\\ No newline at end of file',
      '+c',
      '\\ No newline at end of file',
    ].join('\n')
    const result = await f.run(applyPatchTool, { patch })
    expect(result.output).toBe('Applied patch to 1 file:\nR old/name.ts → new/name.ts (+1 -1)')
    expect(await f.read('new/name.ts')).toBe('a\nc')
    expect(await exists(path.join(f.root, 'old/name.ts'))).toBe(false)
  })

  it('explains impossible creations, missing files and malformed patches', async () => {
    const f = await fixture({ 'a.txt': 'a\n' })
    const create = '--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1 @@\n+x\n'
    expect((await f.run(applyPatchTool, { patch: create })).output).toMatch(
      /creates a.txt \(from \/dev\/null\), but it already exists/,
    )
    const missing = '--- a/nope.txt\n+++ b/nope.txt\n@@ -1 +1 @@\n-a\n+b\n'
    expect((await f.run(applyPatchTool, { patch: missing })).output).toMatch(
      /changes nope.txt, which does not exist/,
    )
    expect((await f.run(applyPatchTool, { patch: 'just words' })).output).toMatch(/contains no file changes/)
    const codex = '*** Begin Patch\n*** Update File: a.txt\n@@\n-a\n+b\n*** End Patch'
    expect((await f.run(applyPatchTool, { patch: codex })).output).toMatch(
      /not the "\*\*\* Begin Patch" format/,
    )
    const stray = '--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n\nsome text\n+stray\n'
    expect((await f.run(applyPatchTool, { patch: stray })).output).toMatch(
      /Line 8 of the patch \("\+stray"\) is outside any hunk/,
    )
    expect(await f.read('a.txt')).toBe('a\n')
  })
})

describe('parsePatchText', () => {
  it('keeps a removed line that looks like a file header while the counts demand it', () => {
    const [file] = parsePatchText('--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n--- y\n+++ z\n')
    expect(file!.hunks[0]!.lines).toEqual(['--- y', '+++ z'])
  })

  it('does not strip a/ b/ unless both sides carry them', () => {
    expect(parsePatchText('--- a/x\n+++ a/x\n@@ -1 +1 @@\n-a\n+b\n')[0]).toMatchObject({
      oldPath: 'a/x',
      newPath: 'a/x',
    })
  })
})
