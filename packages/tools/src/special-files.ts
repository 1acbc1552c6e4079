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
