import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FileAccess } from '../src/file-access.js'
import type { ToolContext } from '../src/tool.js'
import { applyPatchTool } from '../src/tools/apply-patch.js'
import { editFileTool } from '../src/tools/edit-file.js'
import { readFileTool } from '../src/tools/read-file.js'
import { writeFileTool } from '../src/tools/write-file.js'
import { fileChanges, fixture } from './helpers.js'

/** An editor holding buffers (by absolute path) that differ from the disk, recording each call. */
function editor(buffers: Record<string, string> = {}) {
  const held = new Map(Object.entries(buffers))
  const calls: string[] = []
  const files: FileAccess = {
    label: 'the editor',
    async readText(file) {
      calls.push(`read ${file}`)
      const text = held.get(file)
      if (text === undefined) return readFile(file, 'utf8')
      return text
    },
    async writeText(file, content) {
      calls.push(`write ${file}`)
      held.set(file, content)
    },
  }
  return { files, held, calls }
}

async function setup(disk: Record<string, string>, buffers: Record<string, string>) {
  const f = await fixture(disk)
  const abs = (rel: string) => path.join(f.root, rel)
  const ed = editor(Object.fromEntries(Object.entries(buffers).map(([rel, text]) => [abs(rel), text])))
  const ctx: ToolContext = { ...f.ctx, files: ed.files }
  return { ...f, ...ed, abs, ctx }
}

describe('file tools through a FileAccess port (an editor)', () => {
  it('read_file reads the unsaved buffer, paged and numbered as from the disk', async () => {
    const t = await setup(
      { 'a.ts': 'on disk\n', 'empty.ts': '' },
      { 'a.ts': 'one\ntwo\nthree\n', 'empty.ts': 'typed\n' },
    )
    const result = await readFileTool.run({ path: 'a.ts', offset: 2, limit: 1 }, t.ctx)
    expect(result.isError).toBeFalsy()
    expect(result.output).toBe('     2\ttwo\n… 1 more lines; use offset=3 to continue')
    expect(result.details).toMatchObject({ kind: 'file-read', startLine: 2, endLine: 2, totalLines: 3 })
    // Empty on disk, not in the editor.
    expect((await readFileTool.run({ path: 'empty.ts' }, t.ctx)).output).toBe('     1\ttyped')
    expect(t.calls).toEqual([`read ${t.abs('a.ts')}`, `read ${t.abs('empty.ts')}`])
  })

  it('edit_file previews and edits the buffer, and the edit lands in the editor, not on the disk', async () => {
    const t = await setup({ 'a.ts': 'const x = 1\n' }, { 'a.ts': 'const x = 1\nconst y = 2\n' })
    const args = { path: 'a.ts', old_string: 'const y = 2', new_string: 'const y = 3' }
    const preview = await editFileTool.preview(args, t.workspace, { files: t.files })
    expect(preview).toMatchObject({ ok: true, preview: { kind: 'file-edit' } })
    // Without the port the same edit does not match the disk, and the call is refused before asking.
    expect(await editFileTool.preview(args, t.workspace)).toMatchObject({ ok: false })
    const result = await editFileTool.run(args, t.ctx)
    expect(result.isError).toBeFalsy()
    expect(t.held.get(t.abs('a.ts'))).toBe('const x = 1\nconst y = 3\n')
    expect(await t.read('a.ts')).toBe('const x = 1\n')
    expect(fileChanges(result)[0]).toMatchObject({ added: 1, removed: 1 })
  })

  it('write_file diffs against the buffer and writes through the port; new files too', async () => {
    const t = await setup({ 'a.txt': 'disk\n' }, { 'a.txt': 'buffer\n' })
    const same = await writeFileTool.run({ path: 'a.txt', content: 'buffer\n' }, t.ctx)
    expect(same.output).toContain('already has this content')
    const created = await writeFileTool.run({ path: 'dir/new.txt', content: 'hi\n' }, t.ctx)
    expect(created.output).toBe('Created dir/new.txt (1 lines).')
    expect(t.held.get(t.abs('dir/new.txt'))).toBe('hi\n')
    expect(t.calls).toEqual([`read ${t.abs('a.txt')}`, `write ${t.abs('dir/new.txt')}`])
  })

  it('apply_patch matches hunks against the buffers and writes them back; deletions stay on the disk', async () => {
    const t = await setup({ 'a.txt': 'one\n', 'gone.txt': 'bye\n' }, { 'a.txt': 'one\ntwo\n' })
    const patch = [
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1,2 +1,2 @@',
      ' one',
      '-two',
      '+TWO',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      '',
    ].join('\n')
    const result = await applyPatchTool.run({ patch }, t.ctx)
    expect(result.isError, result.output).toBeFalsy()
    expect(t.held.get(t.abs('a.txt'))).toBe('one\nTWO\n')
    await expect(readFile(t.abs('gone.txt'))).rejects.toThrow(/ENOENT/)
  })

  it('confinement, special files and binary files are checked before the port is asked', async () => {
    const t = await setup({ 'bin.dat': 'x\u0000y' }, {})
    const outside = await readFileTool.run({ path: '../../etc/passwd' }, t.ctx)
    expect(outside.isError).toBe(true)
    const binary = await editFileTool.run({ path: 'bin.dat', old_string: 'x', new_string: 'z' }, t.ctx)
    expect(binary.output).toContain('cannot be edited as text')
    expect((await readFileTool.run({ path: 'bin.dat' }, t.ctx)).output).toContain(
      'binary contents are not shown',
    )
    const missing = await editFileTool.run({ path: 'nope.ts', old_string: 'a', new_string: 'b' }, t.ctx)
    expect(missing.output).toContain('File not found')
    expect(t.calls).toEqual([])
  })

  it("the port's failure is the tool's error, naming the file", async () => {
    const f = await fixture({ 'a.ts': 'a\n' })
    const failing: FileAccess = {
      label: 'the editor',
      readText: async () => {
        throw new Error('Internal error: buffer is closing')
      },
      writeText: async () => {
        throw new Error('read-only buffer')
      },
    }
    const ctx = { ...f.ctx, files: failing }
    const read = await readFileTool.run({ path: 'a.ts' }, ctx)
    expect(read).toMatchObject({
      isError: true,
      output: 'Reading a.ts from the editor failed: Internal error: buffer is closing',
    })
    const write = await writeFileTool.run({ path: 'b.ts', content: 'b' }, ctx)
    expect(write).toMatchObject({
      isError: true,
      output: 'Writing b.ts through the editor failed: read-only buffer',
    })
    await expect(readFile(path.join(f.root, 'b.ts'))).rejects.toThrow(/ENOENT/)
  })
})
