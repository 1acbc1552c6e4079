import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { type FileAccess, readThrough } from './file-access.js'
import { openRegularFile, readRegularFile, refuseSpecialFile } from './special-files.js'
import { ToolError } from './tool.js'
import type { Workspace } from './workspace.js'

/** How much of a file is sniffed for NUL bytes to call it binary (as git and grep do). */
export const BINARY_SNIFF_BYTES = 8192

export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)
}

const MAGIC: readonly [string, number[]][] = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['zip archive', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip archive', [0x1f, 0x8b]],
  ['ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['WebAssembly module', [0x00, 0x61, 0x73, 0x6d]],
  ['SQLite database', [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65]],
]

/** A one-line description of a binary file, for the model instead of its bytes. */
export function describeBinary(display: string, size: number, head: Uint8Array): string {
  const kind = MAGIC.find(([, magic]) => magic.every((byte, i) => head[i] === byte))?.[0] ?? 'binary file'
  return `${display} is a ${kind} (${formatBytes(size)}); binary contents are not shown.`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** Lines as an editor counts them: a trailing newline ends the last line, it does not add one. */
export function countLines(text: string): number {
  if (text === '') return 0
  const newlines = text.split('\n').length - 1
  return text.endsWith('\n') ? newlines : newlines + 1
}

export interface TextFile {
  absolute: string
  display: string
  content: string
}

/**
 * Reads a text file the model wants to change, with errors that tell it what to do instead. With a
 * file port (an editor), the checks run on the disk and the text comes from the port.
 */
export async function loadTextFile(
  workspace: Workspace,
  input: string,
  purpose: string,
  access: { files?: FileAccess | undefined; signal?: AbortSignal | undefined } = {},
): Promise<TextFile> {
  const absolute = await workspace.resolve(input)
  const display = workspace.relative(absolute)
  const info = await stat(absolute).catch(() => undefined)
  if (!info) throw await missingFileError(workspace, absolute, display, purpose)
  if (info.isDirectory()) throw new ToolError(`${display} is a directory, not a file.`)
  refuseSpecialFile(info, display)
  const bytes = access.files ? await readHead(absolute, display) : await readRegularFile(absolute, display)
  if (looksBinary(bytes))
    throw new ToolError(`${describeBinary(display, info.size, bytes)} It cannot be edited as text.`)
  const content = access.files
    ? await readThrough(access.files, absolute, display, { signal: access.signal })
    : bytes.toString('utf8')
  return { absolute, display, content }
}

/** The first `BINARY_SNIFF_BYTES` of a regular file: enough to tell text from binary. */
export async function readHead(absolute: string, display: string): Promise<Uint8Array> {
  const handle = await openRegularFile(absolute, display)
  try {
    const buffer = Buffer.alloc(BINARY_SNIFF_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, BINARY_SNIFF_BYTES, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/** "File not found", plus similarly named files next to where the model looked. */
export async function missingFileError(
  workspace: Workspace,
  absolute: string,
  display: string,
  hint: string,
): Promise<ToolError> {
  const dir = path.dirname(absolute)
  const names = await readdir(dir).catch(() => undefined)
  if (!names) {
    return new ToolError(
      `File not found: ${display} (its directory ${workspace.relative(dir)} does not exist). ${hint}`,
    )
  }
  const similar = similarNames(path.basename(absolute), names).map((name) =>
    workspace.relative(path.join(dir, name)),
  )
  const suggestion = similar.length ? ` Did you mean ${similar.join(' or ')}?` : ''
  return new ToolError(`File not found: ${display}.${suggestion} ${hint}`)
}

/** Up to three names that differ from `wanted` only in case, extension or a couple of typos. */
export function similarNames(wanted: string, names: readonly string[]): string[] {
  const lower = wanted.toLowerCase()
  const stem = (name: string) => name.toLowerCase().replace(/\.[^.]*$/, '')
  return names
    .map((name) => {
      const candidate = name.toLowerCase()
      if (candidate === lower) return { name, score: 0 }
      if (stem(name) === stem(wanted)) return { name, score: 1 }
      const distance = editDistance(candidate, lower, 2)
      return { name, score: distance <= 2 ? 1 + distance : Number.POSITIVE_INFINITY }
    })
    .filter((entry) => Number.isFinite(entry.score))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((entry) => entry.name)
}

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      current.push(value)
      rowMin = Math.min(rowMin, value)
    }
    if (rowMin > limit) return limit + 1
    previous = current
  }
  return previous[b.length]!
}
