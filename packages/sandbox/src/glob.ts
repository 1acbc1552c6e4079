import { lstat, readdir } from 'node:fs/promises'
import { isAbsolute, join, resolve, sep } from 'node:path'

/** Entries a `**` pattern may visit before expansion stops (and says so). */
export const MAX_GLOB_ENTRIES = 50_000

/**
 * A `deny_read` entry as an absolute pattern: `~` and `~/…` start at `home`, relative entries at
 * `base` (the workspace). Pure.
 */
export function absolutePattern(entry: string, home: string, base: string): string {
  const trimmed = entry.trim()
  if (trimmed === '~') return home
  if (trimmed.startsWith('~/')) return join(home, trimmed.slice(2))
  return isAbsolute(trimmed) ? resolve(trimmed) : resolve(base, trimmed)
}

export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern)
}

/** `*` any run within one path segment (dot files included), `?` one character, `[…]` a class. */
export function segmentRegex(segment: string): RegExp {
  let source = ''
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!
    if (char === '*') source += '.*'
    else if (char === '?') source += '.'
    else if (char === '[') {
      const end = segment.indexOf(']', i + 1)
      if (end === -1) source += '\\['
      else {
        const body = segment.slice(i + 1, end).replace(/\\/g, '\\\\')
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`
        i = end
      }
    } else source += char.replace(/[.+^${}()|\\/]/g, '\\$&')
  }
  return new RegExp(`^${source}$`, 's')
}

export interface Expansion {
  paths: string[]
  /** Set when a `**` walk stopped at `MAX_GLOB_ENTRIES`. */
  truncated: boolean
}

/**
 * The existing paths an absolute pattern names. Without glob characters, the path itself (whether or
 * not it exists: the caller checks). `**` matches any number of directories; symbolic links to
 * directories are not followed by it (no loops), and a walk stops after `MAX_GLOB_ENTRIES` entries.
 */
export async function expandPattern(pattern: string): Promise<Expansion> {
  if (!hasGlob(pattern)) return { paths: [pattern], truncated: false }
  const segments = pattern.split(sep).filter(Boolean)
  const fixed: string[] = []
  while (segments.length && !hasGlob(segments[0]!)) fixed.push(segments.shift()!)
  const found = new Set<string>()
  const budget = { left: MAX_GLOB_ENTRIES, truncated: false }
  await walk(sep + fixed.join(sep), segments, found, budget)
  const existing = await Promise.all(
    [...found].map((path) =>
      lstat(path).then(
        () => path,
        () => undefined,
      ),
    ),
  )
  return { paths: existing.filter((path) => path !== undefined).sort(), truncated: budget.truncated }
}

async function walk(
  dir: string,
  rest: string[],
  found: Set<string>,
  budget: { left: number; truncated: boolean },
): Promise<void> {
  const [head, ...tail] = rest
  if (head === undefined) {
    found.add(dir)
    return
  }
  if (head === '**') {
    // Zero directories, then each subdirectory with the same `**` still ahead.
    await walk(dir, tail, found, budget)
    for (const entry of await entries(dir, budget)) {
      if (entry.isDirectory()) await walk(join(dir, entry.name), rest, found, budget)
    }
    return
  }
  if (!hasGlob(head)) {
    await walk(join(dir, head), tail, found, budget)
    return
  }
  const regex = segmentRegex(head)
  for (const entry of await entries(dir, budget)) {
    if (!regex.test(entry.name)) continue
    if (tail.length === 0) found.add(join(dir, entry.name))
    else if (entry.isDirectory() || entry.isSymbolicLink())
      await walk(join(dir, entry.name), tail, found, budget)
  }
}

async function entries(dir: string, budget: { left: number; truncated: boolean }) {
  if (budget.left <= 0) {
    budget.truncated = true
    return []
  }
  try {
    const list = await readdir(dir, { withFileTypes: true })
    budget.left -= list.length
    return list
  } catch {
    return []
  }
}
