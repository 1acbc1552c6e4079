import { readFile, stat } from 'node:fs/promises'
import { type ImageInfo, sniffImage } from '@penguin-ai/llm'
import { z } from 'zod'
import type { FileReadDetails } from '../details/schema.js'
import { readThrough } from '../file-access.js'
import { describeBinary, formatBytes, looksBinary, missingFileError, readHead } from '../files.js'
import { pathPermission } from '../permission-subject.js'
import { type LineWindow, lineWindowOfText, readLineWindow, type WindowOptions } from '../read-lines.js'
import { refuseSpecialFile } from '../special-files.js'
import { defineTool, ToolError } from '../tool.js'

export const READ_DEFAULT_LIMIT = 2000
const MAX_LINE_CHARS = 2000
/** Characters of file text per call; the rest is paged with `offset`. */
const MAX_WINDOW_CHARS = 90_000
/**
 * Files up to this size are read to the end so the note can say how many lines remain; with a file
 * port (an editor's buffers) they are read through it, larger ones from the disk.
 */
const COUNT_ALL_BYTES = 4 * 1024 * 1024
/** The largest image sent to the model: Anthropic's per-image limit (OpenAI's is higher). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024
/** Longest side, in pixels, that every provider taking images accepts. */
export const MAX_IMAGE_SIDE = 8000

const parameters = z.object({
  path: z.string().describe('File path, relative to the workspace root'),
  offset: z.number().int().min(0).optional().describe('1-based line to start at (default 1)'),
  limit: z.number().int().min(1).optional().describe(`Lines to read (default ${READ_DEFAULT_LIMIT})`),
})

export const readFileTool = defineTool({
  name: 'read_file',
  description:
    'Read a file with line numbers; offset/limit page long files. PNG, JPEG, GIF and WebP files come back as images.',
  parameters,
  readOnly: true,
  maxOutput: { maxChars: 150_000, maxLines: 10_000 },
  permission: ({ path }, workspace) => pathPermission('read', path, workspace),
  title: ({ path }) => path,
  async preview({ path }, workspace) {
    const realPath = await workspace.resolve(path)
    const display = workspace.relative(realPath)
    return {
      kind: 'file-read',
      summary: display,
      path: display,
      realPath,
      ...(path !== display && path !== `./${display}` && path !== realPath ? { requested: path } : {}),
    }
  },
  async execute({ path, offset, limit }, { workspace, signal, files }) {
    const absolute = await workspace.resolve(path)
    const display = workspace.relative(absolute)
    const read = (summary: string, fields: Omit<FileReadDetails, 'kind' | 'summary' | 'path'> = {}) =>
      ({ kind: 'file-read', summary, path: display, ...fields }) as const
    const info = await stat(absolute).catch(() => undefined)
    if (!info)
      throw await missingFileError(workspace, absolute, display, 'Use list_files to see which files exist.')
    if (info.isDirectory())
      throw new ToolError(`${display} is a directory. Use list_files to see its contents.`)
    refuseSpecialFile(info, display)
    if (!info.isFile()) throw new ToolError(`${display} is not a regular file.`)
    const empty = { output: `${display} is empty.`, details: read(`${display} (empty)`, { totalLines: 0 }) }
    // An editor's buffer of a file empty on disk may hold text: ask it.
    const throughPort = files !== undefined && info.size <= COUNT_ALL_BYTES
    if (info.size === 0 && !throughPort) return empty

    const head = await readHead(absolute, display)
    const image = sniffImage(head)
    if (image) return readImage(absolute, display, info.size, image)
    if (looksBinary(head)) {
      return {
        output: describeBinary(display, info.size, head),
        details: read(`${display} (binary, ${formatBytes(info.size)})`, { binary: true }),
      }
    }

    const start = Math.max(1, offset ?? 1)
    const options: WindowOptions = {
      offset: start,
      limit: limit ?? READ_DEFAULT_LIMIT,
      maxLineChars: MAX_LINE_CHARS,
      maxChars: MAX_WINDOW_CHARS,
      countAll: info.size <= COUNT_ALL_BYTES,
      signal,
    }
    let window: LineWindow
    if (throughPort) {
      const text = await readThrough(files, absolute, display, { signal })
      if (text === '') return empty
      window = lineWindowOfText(text, options)
    } else {
      window = await readLineWindow(absolute, options)
    }
    if (window.lines.length === 0) {
      throw new ToolError(
        `offset ${start} is past the end of ${display}, which has ${window.totalLines ?? 0} lines. Use a smaller offset.`,
      )
    }
    const last = window.lines[window.lines.length - 1]!.number
    const whole = start === 1 && !window.hasMore
    const of = window.totalLines === undefined ? '' : ` of ${window.totalLines}`
    return {
      output: formatWindow(window, info.size),
      details: read(whole ? display : `${display} (lines ${start}–${last}${of})`, {
        startLine: start,
        endLine: last,
        ...(window.totalLines === undefined ? {} : { totalLines: window.totalLines }),
      }),
    }
  },
})

const IMAGE_NAMES: Record<ImageInfo['mediaType'], string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
}

/**
 * An image goes to the model as an image block (the engine leaves it out, with a note, for models
 * that do not take images); one a provider would refuse is described instead.
 */
async function readImage(absolute: string, display: string, size: number, image: ImageInfo) {
  const pixels = image.width && image.height ? `, ${image.width}×${image.height}` : ''
  const what = `${IMAGE_NAMES[image.mediaType]} image${pixels}, ${formatBytes(size)}`
  const details = { kind: 'file-read', summary: `${display} (${what})`, path: display, binary: true } as const
  const refused =
    size > MAX_IMAGE_BYTES
      ? `larger than the ${formatBytes(MAX_IMAGE_BYTES)} a model takes`
      : Math.max(image.width, image.height) > MAX_IMAGE_SIDE
        ? `wider or taller than the ${MAX_IMAGE_SIDE} pixels a model takes`
        : undefined
  if (refused) return { output: `${display} is a ${what}; it is not shown: ${refused}.`, details }
  const data = (await readFile(absolute)).toString('base64')
  return {
    output: `${display} is a ${what}; here it is.`,
    details,
    images: [{ mediaType: image.mediaType, data }],
  }
}

/** `cat -n` style: right-aligned number, tab, text; then how to continue when lines remain. */
export function formatWindow(window: LineWindow, size: number): string {
  const body = window.lines.map(({ number, text, cut }) => {
    const marker = cut > 0 ? ` … [line cut: ${cut.toLocaleString('en-US')} more characters]` : ''
    return `${String(number).padStart(6)}\t${text}${marker}`
  })
  if (window.hasMore) {
    const next = window.lines[window.lines.length - 1]!.number + 1
    const remaining =
      window.totalLines !== undefined
        ? `${(window.totalLines - next + 1).toLocaleString('en-US')} more lines`
        : `more lines follow (the file is ${formatBytes(size)})`
    body.push(`… ${remaining}; use offset=${next} to continue`)
  }
  return body.join('\n')
}
