import { createHash } from 'node:crypto'
import { appendFile, readFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'
import type { z } from 'zod'
import { BenchError, messageOf } from './errors.js'

/** A file's bytes, gunzipped when they start with the gzip magic number (whatever the name says). */
export async function readMaybeGzip(path: string, what: string): Promise<Buffer> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new BenchError('usage', `${what} ${path} does not exist.`)
    throw new BenchError('usage', `Cannot read ${what} ${path}: ${messageOf(error)}`)
  }
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes
  try {
    return gunzipSync(bytes)
  } catch (error) {
    throw new BenchError(
      'data',
      `${what} ${path} looks gzipped but cannot be decompressed: ${messageOf(error)}`,
    )
  }
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Parses every non-blank line with `schema`; the first bad line is a `data` error naming it. */
export function parseJsonl<S extends z.ZodType>(text: string, schema: S, source: string): z.infer<S>[] {
  const records: z.infer<S>[] = []
  const lines = text.split('\n')
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue
    let json: unknown
    try {
      json = JSON.parse(line)
    } catch (error) {
      throw new BenchError('data', `${source}:${index + 1}: not valid JSON (${messageOf(error)}).`)
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((issue) => `${issue.path.length ? issue.path.join('.') : 'record'}: ${issue.message}`)
        .join('; ')
      throw new BenchError('data', `${source}:${index + 1}: ${problems}.`)
    }
    records.push(parsed.data)
  }
  return records
}

/**
 * Reads records a previous run wrote. Lines that do not parse are skipped: an interrupted run can
 * leave a half-written last line, and its sample is simply run again.
 */
export async function readRecords<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new BenchError('usage', `Cannot read ${path}: ${messageOf(error)}`)
  }
  const records: z.infer<S>[] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    try {
      const parsed = schema.safeParse(JSON.parse(line))
      if (parsed.success) records.push(parsed.data)
    } catch {
      // A torn line from an interrupted run.
    }
  }
  return records
}

/** Appends one JSON line per record, in call order, even when called from concurrent workers. */
export class JsonlWriter {
  private queue: Promise<void> = Promise.resolve()

  constructor(readonly path: string) {}

  append(record: unknown): Promise<void> {
    const line = `${JSON.stringify(record)}\n`
    this.queue = this.queue.then(() => appendFile(this.path, line, 'utf8'))
    return this.queue
  }

  flush(): Promise<void> {
    return this.queue
  }
}
