import type { Dirent } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import ignore, { type Ignore } from 'ignore'
import picomatch from 'picomatch'
import { isInside } from './workspace.js'

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other'

export interface WalkEntry {
  /** Relative to the start directory, '/'-separated. */
  path: string
  absolutePath: string
  /** Symlinks are reported but never followed: they could lead out of the workspace or loop. */
  kind: EntryKind
}

export interface WalkOptions {
  /**
   * The directory whose `.gitignore` (and those between it and the start) also apply, normally the
   * workspace root. Defaults to the start directory.
   */
  ignoreRoot?: string
  signal?: AbortSignal
  /** Entries to leave out as if ignored: not yielded and, for directories, not entered. */
  skip?: (entry: WalkEntry) => boolean
}

interface Matcher {
  dir: string
  rules: Ignore
}

/**
 * Yields everything under `start` depth-first, names sorted within each directory, skipping `.git`
 * and whatever the `.gitignore` files (root and nested) exclude. Ignored directories are not entered.
 */
export async function* walk(start: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  yield* walkDirectory(start, start, await initialMatchers(start, options.ignoreRoot ?? start), options)
}

async function* walkDirectory(
  start: string,
  dir: string,
  matchers: readonly Matcher[],
  options: WalkOptions,
): AsyncGenerator<WalkEntry> {
  options.signal?.throwIfAborted()
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return // unreadable directories are skipped like ignored ones
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    if (entry.name === '.git') continue
    const absolutePath = path.join(dir, entry.name)
    const kind = kindOf(entry)
    if (isIgnored(matchers, absolutePath, kind === 'directory')) continue
    const walked: WalkEntry = { path: toPosix(path.relative(start, absolutePath)), absolutePath, kind }
    if (options.skip?.(walked)) continue
    yield walked
    if (kind === 'directory') {
      const nested = await loadMatcher(absolutePath)
      yield* walkDirectory(start, absolutePath, nested ? [...matchers, nested] : matchers, options)
    }
  }
}

/**
 * The `.gitignore` files from the ignore root down to the start. When the start itself is ignored
 * (the model asked for `dist/` explicitly), the rules above it are dropped: an explicit request wins.
 */
async function initialMatchers(start: string, ignoreRoot: string): Promise<Matcher[]> {
  const dirs = [start]
  if (start !== ignoreRoot && isInside(ignoreRoot, start)) {
    for (let dir = path.dirname(start); isInside(ignoreRoot, dir); dir = path.dirname(dir)) {
      dirs.unshift(dir)
      if (dir === ignoreRoot) break
    }
  }
  const loaded = await Promise.all(dirs.map(loadMatcher))
  const matchers = loaded.filter((m): m is Matcher => m !== undefined)
  const above = matchers.filter((m) => m.dir !== start)
  if (above.length && isIgnored(above, start, true)) return matchers.filter((m) => m.dir === start)
  return matchers
}

async function loadMatcher(dir: string): Promise<Matcher | undefined> {
  try {
    const text = await readFile(path.join(dir, '.gitignore'), 'utf8')
    return { dir, rules: ignore().add(text) }
  } catch {
    return undefined
  }
}

/** The deepest `.gitignore` with an opinion decides, as in git (a nested `!pattern` re-includes). */
function isIgnored(matchers: readonly Matcher[], absolutePath: string, isDirectory: boolean): boolean {
  for (let i = matchers.length - 1; i >= 0; i--) {
    const matcher = matchers[i]!
    const rel = toPosix(path.relative(matcher.dir, absolutePath))
    if (rel === '') continue
    const result = matcher.rules.test(isDirectory ? `${rel}/` : rel)
    if (result.ignored) return true
    if (result.unignored) return false
  }
  return false
}

function kindOf(entry: Dirent): EntryKind {
  if (entry.isDirectory()) return 'directory'
  if (entry.isFile()) return 'file'
  if (entry.isSymbolicLink()) return 'symlink'
  return 'other'
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/')
}

/**
 * A glob test for walk paths. Dotfiles match like any file, and a pattern without '/' matches
 * names at any depth (`*.ts` finds `src/a.ts`), which is what a model asking for it means.
 */
export function globMatcher(pattern: string): (relativePath: string) => boolean {
  return picomatch(pattern, { dot: true, basename: !pattern.includes('/') })
}
