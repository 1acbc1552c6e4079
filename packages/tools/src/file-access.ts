import { writeFileAtomic } from './atomic-write.js'
import { readRegularFile } from './special-files.js'
import { ToolError } from './tool.js'

/**
 * Where the file tools (read_file, edit_file, write_file, apply_patch) get a file's text and put its
 * new text: by default the local disk; an editor that holds unsaved buffers (an ACP client's
 * `fs/read_text_file` / `fs/write_text_file`) can stand in, so the model reads what the user sees
 * and its edits land in the editor.
 *
 * It is a port, not a boundary: a tool calls it only after everything that guards the call has run
 * — the path resolved and confined to the workspace, the permission rules and the user's answer,
 * the checks that the file is a regular text file (on disk), the snapshot before changes. Binary
 * files and images, listings, searches and deletions stay on the disk.
 */
export interface FileAccess {
  /** Who holds the text, for messages: "the editor". */
  readonly label: string
  /**
   * The current text of `file` (a real absolute path inside the workspace). Throws when it cannot
   * be read; the model reads the message as the tool's error.
   */
  readText(file: string, options: FileAccessOptions): Promise<string>
  /** Replaces `file`'s text, creating it (and its folders) when it is new. */
  writeText(
    file: string,
    content: string,
    options: FileAccessOptions & { mode?: number | undefined },
  ): Promise<void>
}

export interface FileAccessOptions {
  /** The call's signal: stop waiting when the run is cancelled. Absent for previews. */
  signal?: AbortSignal | undefined
}

/** The local disk: regular files only, written atomically (a temporary file renamed over it). */
export const localFiles: FileAccess = {
  label: 'the disk',
  async readText(file) {
    return (await readRegularFile(file, file)).toString('utf8')
  },
  writeText(file, content, { mode }) {
    return writeFileAtomic(file, content, mode)
  },
}

/** `files.readText`, its failure a `ToolError` naming the file as the model knows it. */
export async function readThrough(
  files: FileAccess,
  file: string,
  display: string,
  options: FileAccessOptions,
): Promise<string> {
  try {
    return await files.readText(file, options)
  } catch (error) {
    throw portError(error, `Reading ${display} from ${files.label} failed`)
  }
}

/** `files.writeText`, its failure a `ToolError` naming the file as the model knows it. */
export async function writeThrough(
  files: FileAccess,
  file: string,
  display: string,
  content: string,
  options: FileAccessOptions & { mode?: number | undefined },
): Promise<void> {
  try {
    await files.writeText(file, content, options)
  } catch (error) {
    throw portError(error, `Writing ${display} through ${files.label} failed`)
  }
}

/** The text through `files`, or straight from the disk (as the tools always did) without a port. */
export async function readFileText(
  files: FileAccess | undefined,
  file: string,
  display: string,
  options: FileAccessOptions,
): Promise<string> {
  if (!files) return (await readRegularFile(file, display)).toString('utf8')
  return readThrough(files, file, display, options)
}

/** The text written through `files`, or atomically to the disk without a port. */
export async function writeFileText(
  files: FileAccess | undefined,
  file: string,
  display: string,
  content: string,
  options: FileAccessOptions & { mode?: number | undefined },
): Promise<void> {
  if (!files) return writeFileAtomic(file, content, options.mode)
  return writeThrough(files, file, display, content, options)
}

function portError(error: unknown, what: string): Error {
  if (error instanceof ToolError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new ToolError(`${what}: ${message}`)
}
