import { mkdir, open, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_IMAGE_BYTES, readFileTool } from '../src/tools/read-file.js'
import { fixture } from './helpers.js'

/** A real one-pixel PNG. */
const ONE_PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

const lines = (n: number, prefix = 'line') =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join('\n')

describe('read_file', () => {
  it('prints cat -n style numbered lines', async () => {
    const f = await fixture({ 'a.txt': 'alpha\n\tbeta\r\ngamma\n' })
    const result = await f.run(readFileTool, { path: 'a.txt' })
    expect(result.isError).toBeUndefined()
    expect(result.output).toBe('     1\talpha\n     2\t\tbeta\n     3\tgamma')
    expect(result.details).toEqual({
      kind: 'file-read',
      summary: 'a.txt',
      path: 'a.txt',
      startLine: 1,
      endLine: 3,
      totalLines: 3,
    })
  })

  it('pages with offset and limit and says how to continue', async () => {
    const f = await fixture({ 'big.txt': `${lines(50)}\n` })
    const result = await f.run(readFileTool, { path: 'big.txt', offset: 10, limit: 5 })
    expect(result.output).toBe(
      [10, 11, 12, 13, 14].map((n) => `${String(n).padStart(6)}\tline ${n}`).join('\n') +
        '\n… 36 more lines; use offset=15 to continue',
    )
    const tail = await f.run(readFileTool, { path: 'big.txt', offset: 48 })
    expect(tail.output).toBe('    48\tline 48\n    49\tline 49\n    50\tline 50')
    const past = await f.run(readFileTool, { path: 'big.txt', offset: 51 })
    expect(past).toMatchObject({
      isError: true,
      output: expect.stringContaining('past the end of big.txt, which has 50 lines'),
    })
  })

  it('defaults to 2000 lines', async () => {
    const f = await fixture({ 'long.txt': lines(2500) })
    const result = await f.run(readFileTool, { path: 'long.txt' })
    const out = result.output.split('\n')
    expect(out).toHaveLength(2001)
    expect(out[1999]).toBe('  2000\tline 2000')
    expect(out[2000]).toBe('… 500 more lines; use offset=2001 to continue')
  })

  it('cuts very long lines with a marker', async () => {
    const f = await fixture({ 'min.js': `${'x'.repeat(5000)}\nshort\n` })
    const result = await f.run(readFileTool, { path: 'min.js' })
    const [first, second] = result.output.split('\n')
    expect(first).toBe(`     1\t${'x'.repeat(2000)} … [line cut: 3,000 more characters]`)
    expect(second).toBe('     2\tshort')
  })

  it('describes binary files instead of printing them', async () => {
    const f = await fixture()
    await writeFile(path.join(f.root, 'img.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]))
    const result = await f.run(readFileTool, { path: 'img.png' })
    expect(result.output).toBe('img.png is a PNG image (8 bytes); binary contents are not shown.')
  })

  it('returns PNG, JPEG, GIF and WebP images as images, with what they are', async () => {
    const f = await fixture()
    await writeFile(path.join(f.root, 'dot.png'), Buffer.from(ONE_PIXEL_PNG, 'base64'))
    const result = await f.run(readFileTool, { path: 'dot.png' })
    expect(result).toEqual({
      output: 'dot.png is a PNG image, 1×1, 70 bytes; here it is.',
      details: {
        kind: 'file-read',
        summary: 'dot.png (PNG image, 1×1, 70 bytes)',
        path: 'dot.png',
        binary: true,
      },
      images: [{ mediaType: 'image/png', data: ONE_PIXEL_PNG }],
    })
    // Recognised by its bytes, not its name.
    await writeFile(
      path.join(f.root, 'logo.dat'),
      Buffer.from('GIF89a\x02\x00\x03\x00\x00\x00\x00;', 'latin1'),
    )
    const gif = await f.run(readFileTool, { path: 'logo.dat' })
    expect(gif.output).toBe('logo.dat is a GIF image, 2×3, 14 bytes; here it is.')
    expect(gif.images).toEqual([{ mediaType: 'image/gif', data: expect.any(String) }])
  })

  it('describes an image no model would take instead of sending it', async () => {
    const f = await fixture()
    const huge = Buffer.alloc(MAX_IMAGE_BYTES + 1)
    Buffer.from(ONE_PIXEL_PNG, 'base64').copy(huge)
    await writeFile(path.join(f.root, 'huge.png'), huge)
    const result = await f.run(readFileTool, { path: 'huge.png' })
    expect(result.output).toBe(
      'huge.png is a PNG image, 1×1, 5.0 MB; it is not shown: larger than the 5.0 MB a model takes.',
    )
    expect(result.images).toBeUndefined()
    const wide = Buffer.from(ONE_PIXEL_PNG, 'base64')
    wide.writeUInt32BE(9000, 16)
    await writeFile(path.join(f.root, 'wide.png'), wide)
    expect((await f.run(readFileTool, { path: 'wide.png' })).output).toContain(
      'not shown: wider or taller than the 8000 pixels a model takes',
    )
  })

  it('reads only the window of a huge file', async () => {
    const f = await fixture()
    const file = path.join(f.root, 'huge.log')
    // A sparse 2 GB file: text first (more than the 8 KB binary sniff), then a hole, then a line.
    const handle = await open(file, 'w')
    await handle.write(`${lines(2000)}\n`)
    await handle.write('tail line\n', 2 * 1024 * 1024 * 1024)
    await handle.close()
    // Reading it whole would fail outright (no string holds 2 GB), so getting the window proves it.
    const result = await f.run(readFileTool, { path: 'huge.log', limit: 3 })
    expect(result.output).toBe(
      '     1\tline 1\n     2\tline 2\n     3\tline 3\n… more lines follow (the file is 2.0 GB); use offset=4 to continue',
    )
  })

  it('explains directories, empty files and missing files', async () => {
    const f = await fixture({ 'src/index.ts': 'x', 'empty.txt': '' })
    expect(await f.run(readFileTool, { path: 'src' })).toEqual({
      output: 'src is a directory. Use list_files to see its contents.',
      isError: true,
    })
    expect((await f.run(readFileTool, { path: 'empty.txt' })).output).toBe('empty.txt is empty.')
    const missing = await f.run(readFileTool, { path: 'src/Index.ts' })
    expect(missing.isError).toBe(true)
    expect(missing.output).toBe(
      'File not found: src/Index.ts. Did you mean src/index.ts? Use list_files to see which files exist.',
    )
    const noDir = await f.run(readFileTool, { path: 'lib/x.ts' })
    expect(noDir.output).toContain('its directory lib does not exist')
  })

  it('refuses paths outside the workspace', async () => {
    const f = await fixture()
    const result = await f.run(readFileTool, { path: '../../etc/passwd' })
    expect(result.isError).toBe(true)
    expect(result.output).toMatch(/^Access denied/)
  })

  it('accepts offset 0 as the first line', async () => {
    const f = await fixture({ 'a.txt': 'one\ntwo' })
    expect((await f.run(readFileTool, { path: 'a.txt', offset: 0, limit: 1 })).output).toBe(
      '     1\tone\n… 1 more lines; use offset=2 to continue',
    )
    await mkdir(path.join(f.root, 'd'))
  })
})
