import { chmod, readdir, stat, symlink } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { editFileTool, planEdit } from '../src/tools/edit-file.js'
import { writeFileTool } from '../src/tools/write-file.js'
import { fileChanges, fixture, tempDir } from './helpers.js'

describe('write_file', () => {
  it('creates parent folders and reports created vs overwritten', async () => {
    const f = await fixture()
    const created = await f.run(writeFileTool, { path: 'deep/er/a.ts', content: 'one\ntwo\n' })
    expect(created.output).toBe('Created deep/er/a.ts (2 lines).')
    expect(created.details).toMatchObject({
      kind: 'file-edit',
      summary: 'deep/er/a.ts (new, +2)',
      files: [{ path: 'deep/er/a.ts', operation: 'add', added: 2, removed: 0 }],
    })
    expect(await f.read('deep/er/a.ts')).toBe('one\ntwo\n')

    const again = await f.run(writeFileTool, { path: 'deep/er/a.ts', content: 'one\nTWO\nthree\n' })
    expect(again.output).toBe('Overwrote deep/er/a.ts (3 lines, was 2).')
    expect(again.details).toMatchObject({ kind: 'file-edit', summary: 'deep/er/a.ts (+2 -1)' })
    expect(fileChanges(again)[0]?.diff).toContain('-two\n+TWO\n+three')
    const same = await f.run(writeFileTool, { path: 'deep/er/a.ts', content: 'one\nTWO\nthree\n' })
    expect(same.output).toContain('nothing changed')
    // No temporary files are left behind.
    expect(await readdir(path.join(f.root, 'deep/er'))).toEqual(['a.ts'])
  })

  it('keeps an existing file mode', async () => {
    const f = await fixture({ 'run.sh': '#!/bin/sh\n' })
    await chmod(path.join(f.root, 'run.sh'), 0o755)
    await f.run(writeFileTool, { path: 'run.sh', content: '#!/bin/sh\necho hi\n' })
    expect((await stat(path.join(f.root, 'run.sh'))).mode & 0o777).toBe(0o755)
  })

  it('refuses directories and paths outside the workspace', async () => {
    const f = await fixture({ 'src/a.ts': '' })
    expect((await f.run(writeFileTool, { path: 'src', content: 'x' })).output).toBe(
      'src is a directory; give a file path.',
    )
    const outside = await tempDir()
    await symlink(outside, path.join(f.root, 'out'))
    const denied = await f.run(writeFileTool, { path: 'out/evil.txt', content: 'x' })
    expect(denied.isError).toBe(true)
    expect(denied.output).toMatch(/^Access denied: "out\/evil.txt" goes through a symlink/)
    expect(await readdir(outside)).toEqual([])
  })
})

describe('edit_file', () => {
  it('replaces one exact occurrence and returns a diff in details', async () => {
    const f = await fixture({ 'src/x.ts': 'const a = 1\nconst b = 2\n' })
    const result = await f.run(editFileTool, {
      path: 'src/x.ts',
      old_string: 'const b = 2',
      new_string: 'const b = 3',
    })
    expect(result.output).toBe('Edited src/x.ts: replaced 1 occurrence.')
    expect(await f.read('src/x.ts')).toBe('const a = 1\nconst b = 3\n')
    expect(fileChanges(result)[0]?.diff).toMatch(
      /--- a\/src\/x.ts\n\+\+\+ b\/src\/x.ts\n@@ -1,2 \+1,2 @@\n const a = 1\n-const b = 2\n\+const b = 3/,
    )
  })

  it('explains a missing old_string, with a hint at near misses', async () => {
    const f = await fixture({ 'src/x.ts': 'function f() {\n    return 1\n}\n' })
    const result = await f.run(editFileTool, {
      path: 'src/x.ts',
      old_string: 'function f() {\n  return 1\n}',
      new_string: 'x',
    })
    expect(result.isError).toBe(true)
    expect(result.output).toBe(
      'old_string was not found in src/x.ts. Read the file again and copy the text exactly, including whitespace. Its first line matches line 1 (ignoring indentation); compare the text from there.',
    )
    expect(await f.read('src/x.ts')).toBe('function f() {\n    return 1\n}\n')
  })

  it('refuses ambiguous matches unless replace_all', async () => {
    const f = await fixture({ 'a.txt': 'foo bar foo baz foo' })
    const ambiguous = await f.run(editFileTool, { path: 'a.txt', old_string: 'foo', new_string: 'qux' })
    expect(ambiguous.output).toBe(
      'old_string occurs 3 times in a.txt. Include more surrounding lines to make it unique, or set replace_all to true to replace every occurrence.',
    )
    const all = await f.run(editFileTool, {
      path: 'a.txt',
      old_string: 'foo',
      new_string: 'q$&x',
      replace_all: true,
    })
    expect(all.output).toBe('Edited a.txt: replaced 3 occurrences.')
    expect(await f.read('a.txt')).toBe('q$&x bar q$&x baz q$&x')
  })

  it('rejects no-op and empty edits and points at write_file', async () => {
    const f = await fixture({ 'a.txt': 'x' })
    expect((await f.run(editFileTool, { path: 'a.txt', old_string: 'x', new_string: 'x' })).output).toMatch(
      /identical/,
    )
    expect((await f.run(editFileTool, { path: 'a.txt', old_string: '', new_string: 'y' })).output).toMatch(
      /use write_file/,
    )
    const missing = await f.run(editFileTool, { path: 'b.txt', old_string: 'a', new_string: 'b' })
    expect(missing.output).toMatch(
      /^File not found: b.txt\. Did you mean a.txt\? To create a new file, use write_file\.$/,
    )
  })

  it('matches across CRLF line endings and keeps them', () => {
    const edit = planEdit('a\r\nb\r\nc\r\n', 'a\nb', 'A\nB', false, 'f')
    expect(edit.content).toBe('A\r\nB\r\nc\r\n')
  })
})
