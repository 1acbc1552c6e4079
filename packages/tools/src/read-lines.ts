import { StringDecoder } from 'node:string_decoder'
import { openRegularFile } from './special-files.js'

export interface WindowOptions {
  /** 1-based first line. */
  offset: number
  /** Most lines returned. */
  limit: number
  /** Longer lines are cut; the rest is counted, not kept. */
  maxLineChars: number
  /** Stop before the window's text exceeds this many characters (at least one line is returned). */
  maxChars: number
  /** Read to the end to count all lines; otherwise stop as soon as the window is full. */
  countAll: boolean
  signal?: AbortSignal
}

export interface WindowLine {
  number: number
  text: string
  /** Characters cut from the end of a long line. */
  cut: number
}

export interface LineWindow {
  lines: WindowLine[]
  /** Whether lines follow the window. */
  hasMore: boolean
  /** Total line count, known when the file was read to the end. */
  totalLines?: number
}

const CHUNK_BYTES = 64 * 1024

/**
 * Streams a file and keeps only the requested window of lines, so a 1 GB file (or a 1 GB line)
 * costs a read, not memory. A trailing newline ends the last line; it does not start another.
 */
export async function readLineWindow(file: string, options: WindowOptions): Promise<LineWindow> {
  const window = lineCollector(options)
  const handle = await openRegularFile(file, file)
  try {
    const decoder = new StringDecoder('utf8')
    const buffer = Buffer.alloc(CHUNK_BYTES)
    for (;;) {
      options.signal?.throwIfAborted()
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null)
      const chunk = bytesRead === 0 ? decoder.end() : decoder.write(buffer.subarray(0, bytesRead))
      if (!window.feed(chunk)) return window.partial()
      if (bytesRead === 0) break
    }
    return window.end()
  } finally {
    await handle.close()
  }
}

/** The same window of a text already in memory (a file as an editor holds it). Pure. */
export function lineWindowOfText(text: string, options: WindowOptions): LineWindow {
  const window = lineCollector(options)
  return window.feed(text) ? window.end() : window.partial()
}

/**
 * Collects the window from text fed piece by piece: `feed` is false once the window is full and
 * lines need not be counted (`partial()` is then the answer); after the last piece, `end()`.
 */
function lineCollector(options: WindowOptions): {
  feed(chunk: string): boolean
  partial(): LineWindow
  end(): LineWindow
} {
  const { offset, limit, maxLineChars, maxChars, countAll } = options
  const lines: WindowLine[] = []
  let lineNumber = 1
  let kept = '' // the current line's start, up to maxLineChars + 1 characters
  let length = 0 // the current line's full length
  let windowFull = false
  let hasMore = false
  let usedChars = 0

  const endLine = () => {
    if (!windowFull && lineNumber >= offset) {
      const whole = kept.length === length
      const text = whole && kept.endsWith('\r') ? kept.slice(0, -1) : kept.slice(0, maxLineChars)
      const cut = whole ? 0 : length - text.length
      if (lines.length > 0 && usedChars + text.length > maxChars) {
        // This line does not fit: it is the first of the rest.
        windowFull = true
        hasMore = true
      } else {
        lines.push({ number: lineNumber, text, cut })
        usedChars += text.length
        windowFull = lines.length >= limit
      }
    }
    lineNumber++
    kept = ''
    length = 0
  }

  return {
    feed(chunk) {
      let pos = 0
      while (pos < chunk.length) {
        if (windowFull) {
          hasMore = true
          if (!countAll) return false
          // Only counting from here on.
          for (let nl = chunk.indexOf('\n', pos); nl !== -1; nl = chunk.indexOf('\n', pos)) {
            lineNumber++
            length = 0
            pos = nl + 1
          }
          length += chunk.length - pos
          pos = chunk.length
          break
        }
        const newline = chunk.indexOf('\n', pos)
        const end = newline === -1 ? chunk.length : newline
        if (lineNumber >= offset && kept.length <= maxLineChars) {
          kept += chunk.slice(pos, Math.min(end, pos + maxLineChars + 1 - kept.length))
        }
        length += end - pos
        pos = end
        if (newline !== -1) {
          endLine()
          pos = newline + 1
        }
      }
      return true
    },
    partial: () => ({ lines, hasMore }),
    end() {
      if (length > 0) {
        if (windowFull) hasMore = true
        endLine()
      }
      return { lines, hasMore, totalLines: lineNumber - 1 }
    },
  }
}
