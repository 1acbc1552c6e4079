import { mkdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { grepTool } from '../src/tools/grep.js'
import { listFilesTool } from '../src/tools/list-files.js'
import { walk } from '../src/walk.js'
import { fixture, tempDir } from './helpers.js'

async function collect(start: string, ignoreRoot?: string): Promise<string[]> {
  const out: string[] = []
  for await (const entry of walk(start, { ignoreRoot }))
    out.push(entry.kind === 'directory' ? `${entry.path}/` : entry.path)
  return out
}

const TREE = {
  '.gitignore': 'dist/\n*.log\n!keep.log\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
  'README.md': '# readme\n',
  'app.log': 'noise\n',
  'keep.log': 'kept\n',
  'dist/bundle.js': 'built\n',
  'src/index.ts': 'export const answer = 42\n',
  'src/util.ts': 'export function helper() {}\n',
  'src/gen/.gitignore': '*.gen.ts\n',
  'src/gen/types.gen.ts': 'generated\n',
  'src/gen/keep.ts': 'hand written\n',
  'src/a-b.ts': 'dash\n',
}

describe('walk', () => {
  it('honours root and nested .gitignore files, skips .git, sorts depth-first', async () => {
    const f = await fixture(TREE)
    expect(await collect(f.root)).toEqual([
      '.gitignore',
      'README.md',
      'keep.log',
      'src/',
      'src/a-b.ts',
      'src/gen/',
      'src/gen/.gitignore',
      'src/gen/keep.ts',
      'src/index.ts',
      'src/util.ts',
    ])
  })

  it('applies ancestor .gitignore files when starting below the root', async () => {
    const f = await fixture({ ...TREE, 'src/debug.log': 'x' })
    expect(await collect(path.join(f.root, 'src'), f.root)).not.toContain('debug.log')
    // Without the root as ignore root, only the nested rules apply.
    expect(await collect(path.join(f.root, 'src'))).toContain('debug.log')
  })

  it('walks an explicitly requested ignored directory', async () => {
    const f = await fixture(TREE)
    expect(await collect(path.join(f.root, 'dist'), f.root)).toEqual(['bundle.js'])
  })

  it('reports symlinks without following them', async () => {
    const f = await fixture({ 'a.txt': 'a' })
    const outside = await tempDir()
    await writeFile(path.join(outside, 'secret.txt'), 'secret')
    await symlink(outside, path.join(f.root, 'out'))
    const entries: { path: string; kind: string }[] = []
    for await (const e of walk(f.root)) entries.push({ path: e.path, kind: e.kind })
    expect(entries).toEqual([
      { path: 'a.txt', kind: 'file' },
      { path: 'out', kind: 'symlink' },
    ])
  })
})

describe('list_files', () => {
  it('lists workspace-relative paths, directories with a trailing slash', async () => {
    const f = await fixture(TREE)
    const result = await f.run(listFilesTool, { path: 'src' })
    expect(result.output).toBe(
      ['src/a-b.ts', 'src/gen/', 'src/gen/.gitignore', 'src/gen/keep.ts', 'src/index.ts', 'src/util.ts'].join(
        '\n',
      ),
    )
  })

  it('filters files by glob relative to the listed directory', async () => {
    const f = await fixture(TREE)
    expect((await f.run(listFilesTool, { pattern: 'src/*.ts' })).output).toBe(
      'src/a-b.ts\nsrc/index.ts\nsrc/util.ts',
    )
    expect((await f.run(listFilesTool, { path: 'src', pattern: '**/*.ts' })).output).toBe(
      'src/a-b.ts\nsrc/gen/keep.ts\nsrc/index.ts\nsrc/util.ts',
    )
    // A pattern without a slash matches names at any depth.
    expect((await f.run(listFilesTool, { pattern: 'keep.*' })).output).toBe('keep.log\nsrc/gen/keep.ts')
    expect((await f.run(listFilesTool, { pattern: '*.py' })).output).toBe('No files under . match "*.py".')
  })

  it('caps long listings with a note', async () => {
    const f = await fixture()
    await mkdir(path.join(f.root, 'many'))
    await Promise.all(
      Array.from({ length: 1005 }, (_, i) =>
        writeFile(path.join(f.root, 'many', `f${String(i).padStart(4, '0')}`), ''),
      ),
    )
    const result = await f.run(listFilesTool, { path: 'many' })
    const lines = result.output.split('\n')
    expect(lines).toHaveLength(1001)
    expect(lines[1000]).toBe('… 5 more entries not shown; narrow with path or pattern')
    expect(result.details).toEqual({
      kind: 'search',
      summary: 'many (1,005 entries)',
      query: '',
      path: 'many',
      matches: 1005,
      truncated: true,
    })
  })

  it('explains files, missing directories and escapes', async () => {
    const f = await fixture({ 'a.txt': 'a' })
    expect((await f.run(listFilesTool, { path: 'a.txt' })).output).toBe(
      'a.txt is a file, not a directory. Use read_file to read it.',
    )
    expect((await f.run(listFilesTool, { path: 'nope' })).output).toMatch(/^Directory not found: nope/)
    expect((await f.run(listFilesTool, { path: '..' })).output).toMatch(/^Access denied/)
  })
})

describe('grep', () => {
  it('prints path:line: text for matches, honouring .gitignore and skipping binaries', async () => {
    const f = await fixture({ ...TREE, 'src/more.ts': 'const answer = 1\n// answer again\n' })
    await writeFile(path.join(f.root, 'src/blob.bin'), Buffer.from('answer\0answer'))
    const result = await f.run(grepTool, { pattern: 'answer' })
    expect(result.output).toBe(
      'src/index.ts:1: export const answer = 42\nsrc/more.ts:1: const answer = 1\nsrc/more.ts:2: // answer again',
    )
    const built = await f.run(grepTool, { pattern: 'built' })
    expect(built.output).toBe('No matches for /built/ in ..')
  })

  it('filters by glob and searches a single file', async () => {
    const f = await fixture(TREE)
    expect((await f.run(grepTool, { pattern: 'e', path: 'src', glob: '**/util.*' })).output).toBe(
      'src/util.ts:1: export function helper() {}',
    )
    expect((await f.run(grepTool, { pattern: '^#', path: 'README.md' })).output).toBe('README.md:1: # readme')
  })

  it('caps the number of matches and cuts long lines around the match', async () => {
    const f = await fixture({
      'many.txt': Array.from({ length: 300 }, (_, i) => `hit ${i}`).join('\n'),
      'long.txt': `${'a'.repeat(1000)}NEEDLE${'b'.repeat(1000)}`,
    })
    const capped = await f.run(grepTool, { pattern: 'hit', path: 'many.txt' })
    const lines = capped.output.split('\n')
    expect(lines).toHaveLength(201)
    expect(lines[200]).toBe('… stopped after 200 matches; narrow the pattern, path or glob')
    const long = await f.run(grepTool, { pattern: 'NEEDLE', path: 'long.txt' })
    expect(long.output).toMatch(/^long.txt:1: …a{100}NEEDLEb{194}…$/)
  })

  it('rejects an invalid regex with advice', async () => {
    const f = await fixture()
    const result = await f.run(grepTool, { pattern: 'foo(' })
    expect(result.isError).toBe(true)
    expect(result.output).toMatch(/^Invalid regular expression "foo\(": .*escape special characters/)
  })

  it('does not follow symlinks out of the workspace', async () => {
    const f = await fixture({ 'a.txt': 'nothing here' })
    const outside = await tempDir()
    await writeFile(path.join(outside, 'secret.txt'), 'password=hunter2')
    await symlink(outside, path.join(f.root, 'out'))
    await symlink(path.join(outside, 'secret.txt'), path.join(f.root, 'secret-link.txt'))
    expect((await f.run(grepTool, { pattern: 'hunter2' })).output).toBe('No matches for /hunter2/ in ..')
    expect((await f.run(grepTool, { pattern: 'hunter2', path: 'secret-link.txt' })).output).toMatch(
      /^Access denied/,
    )
  })
})
