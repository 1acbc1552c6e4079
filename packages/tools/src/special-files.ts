import { constants, type Stats } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import { ToolError } from './tool.js'

/**
 * Pipes, sockets and devices are refused by every file tool, checked before anything opens them:
 * `open()` on a FIFO blocks until a writer appears (forever, in a thread of libuv's small pool that
 * the whole process shares), and a device such as /dev/zero never ends.
 */
export function specialFileKind(info: Stats): string | undefined {
  if (info.isFIFO()) return 'a named pipe (FIFO)'
  if (info.isSocket()) return 'a socket'
  if (info.isCharacterDevice()) return 'a character device'
  if (info.isBlockDevice()) return 'a block device'
  return undefined
}

/** Throws the `ToolError` the model reads when `info` is a pipe, socket or device. */
export function refuseSpecialFile(info: Stats, display: string): void {
  const kind = specialFileKind(info)
  if (kind) {
    throw new ToolError(
      `${display} is ${kind}, not a regular file. File tools refuse pipes, sockets and devices: reading or writing one can block forever.`,
    )
  }
}

/**
 * Opens a file for reading that was checked to be regular, without blocking if a FIFO replaced it
 * since (O_NONBLOCK: opening a FIFO then returns at once), and checks the opened file again.
 */
export async function openRegularFile(absolute: string, display: string): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    // A socket cannot be opened at all (ENXIO): report it as what it is.
    if ((error as NodeJS.ErrnoException).code === 'ENXIO')
      throw new ToolError(`${display} is a socket or device; file tools refuse it.`)
    throw error
  }
  try {
    const info = await handle.stat()
    refuseSpecialFile(info, display)
    if (!info.isFile()) throw new ToolError(`${display} is not a regular file.`)
    return handle
  } catch (error) {
    await handle.close()
    throw error
  }
}

/** The whole content of a regular file (see `openRegularFile`). */
export async function readRegularFile(absolute: string, display: string): Promise<Buffer> {
  const handle = await openRegularFile(absolute, display)
  try {
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

/** What reads outside the file tools (instructions, config files) throw for anything but a regular file. */
export class NotRegularFileError extends Error {
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${path} is ${kind}, not a regular file`)
    this.name = 'NotRegularFileError'
  }
}

/**
 * At most `maxBytes` of a file that must be regular, for repository files Penguin reads on its own
 * (AGENTS.md, `.penguin/config.json`, agent files): a FIFO there would block a thread of libuv's
 * pool forever (and with it the process's exit), `/dev/zero` would never end, a 10 GB file would
 * fill memory. The open does not block (O_NONBLOCK); the opened file is checked before reading.
 * Other errors (ENOENT, EACCES) are thrown as they are.
 */
export async function readRegularPrefix(
  absolute: string,
  maxBytes: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  let handle: FileHandle
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO')
      throw new NotRegularFileError(absolute, 'a socket or device')
    throw error
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new NotRegularFileError(absolute, specialFileKind(info) ?? 'a directory')
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(info.size, 0) + 1))
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    return { bytes: buffer.subarray(0, Math.min(length, maxBytes)), truncated: length > maxBytes }
  } finally {
    await handle.close()
  }
}
