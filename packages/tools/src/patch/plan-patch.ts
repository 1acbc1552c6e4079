import { stat, unlink } from 'node:fs/promises'
import { applyPatch, type StructuredPatchHunk } from 'diff'
import { type FileAccess, readThrough, writeFileText } from '../file-access.js'
import { looksBinary, readHead } from '../files.js'
import { readRegularFile, refuseSpecialFile } from '../special-files.js'
import { ToolError } from '../tool.js'
import type { Workspace } from '../workspace.js'
import type { FilePatch } from './parse-patch.js'

export type ChangeStatus = 'modified' | 'created' | 'deleted' | 'renamed'

/** One file of the patch as it will be reported. */
export interface FileSummary {
  status: ChangeStatus
  path: string
  /** The old path of a renamed file. */
  from?: string
  added: number
  removed: number
  /** Real absolute paths of the file (the new one for a rename) and of a renamed file's old path. */
  absolute: string
  fromAbsolute?: string
}

/** A file's content before and after the whole patch; null means absent. */
export interface FileWrite {
  absolute: string
  display: string
  before: string | null
  after: string | null
  mode?: number
}

/** What a patch will do: per file of the patch, and per file on disk. */
export interface PatchPlan {
  /** One per file section of the patch, in order. */
  summaries: FileSummary[]
  /** The files whose content changes. */
  writes: FileWrite[]
  /** Every file the patch touches (by real absolute path): its content before and after. */
  contents: Map<string, { before: string | null; after: string | null }>
}

/** Where file text comes from and goes (an editor's buffers; default the disk) and the call's signal. */
export interface PatchAccess {
  files?: FileAccess | undefined
  signal?: AbortSignal | undefined
}

interface State {
  display: string
  original: string | null
  current: string | null
  mode?: number
}

/**
 * Applies every hunk in memory against the files' current contents. Throws before anything touches
 * the disk if any hunk does not fit, so a patch lands whole or not at all.
 */
export async function planPatch(
  workspace: Workspace,
  files: readonly FilePatch[],
  access: PatchAccess = {},
): Promise<PatchPlan> {
  const states = new Map<string, State>()
  const load = async (input: string): Promise<[string, State]> => {
    const absolute = await workspace.resolve(input)
    let state = states.get(absolute)
    if (!state) {
      state = await loadState(absolute, workspace.relative(absolute), access)
      states.set(absolute, state)
    }
    return [absolute, state]
  }

  const summaries: FileSummary[] = []
  for (const file of files) {
    const { added, removed } = countChanges(file.hunks)
    const source = file.oldPath === null ? undefined : await load(file.oldPath)
    const target = file.newPath === null ? undefined : await load(file.newPath)

    if (!source) {
      const [, state] = target!
      if (state.current !== null) {
        throw new ToolError(
          `The patch creates ${state.display} (from /dev/null), but it already exists. Nothing was written. Read it and patch it instead.`,
        )
      }
      state.current = applyHunks('', file.hunks, state.display)
      summaries.push({ status: 'created', path: state.display, added, removed, absolute: target![0] })
      continue
    }

    const [sourcePath, sourceState] = source
    if (sourceState.current === null) {
      throw new ToolError(
        `The patch changes ${sourceState.display}, which does not exist. Nothing was written. To create a file, use /dev/null as its old path.`,
      )
    }
    const result = applyHunks(sourceState.current, file.hunks, sourceState.display)
    if (!target) {
      if (result.trim() !== '') {
        throw new ToolError(
          `The patch deletes ${sourceState.display}, but its hunks do not remove all of the file's content. Nothing was written. Re-read the file and include every line, or delete it with run_command.`,
        )
      }
      sourceState.current = null
      summaries.push({ status: 'deleted', path: sourceState.display, added, removed, absolute: sourcePath })
      continue
    }

    const [targetPath, targetState] = target
    if (targetPath === sourcePath) {
      sourceState.current = result
      summaries.push({ status: 'modified', path: sourceState.display, added, removed, absolute: sourcePath })
      continue
    }
    if (targetState.current !== null) {
      throw new ToolError(
        `The patch renames ${sourceState.display} to ${targetState.display}, which already exists. Nothing was written.`,
      )
    }
    sourceState.current = null
    targetState.current = result
    targetState.mode ??= sourceState.mode
    summaries.push({
      status: 'renamed',
      path: targetState.display,
      from: sourceState.display,
      added,
      removed,
      absolute: targetPath,
      fromAbsolute: sourcePath,
    })
  }

  const writes: FileWrite[] = []
  const contents = new Map<string, { before: string | null; after: string | null }>()
  for (const [absolute, state] of states) {
    contents.set(absolute, { before: state.original, after: state.current })
    if (state.current === state.original) continue
    writes.push({
      absolute,
      display: state.display,
      before: state.original,
      after: state.current,
      mode: state.mode,
    })
  }
  return { summaries, writes, contents }
}

/**
 * Writes the planned files. If one write fails, the files already written are put back as they
 * were, so a failure midway leaves the workspace unchanged.
 */
export async function commitWrites(writes: readonly FileWrite[], access: PatchAccess = {}): Promise<void> {
  const done: FileWrite[] = []
  try {
    for (const write of writes) {
      await put(write, write.after, access)
      done.push(write)
    }
  } catch (error) {
    const failed = writes[done.length]!
    const unrestored: string[] = []
    for (const write of done.reverse()) {
      await put(write, write.before, access).catch(() => unrestored.push(write.display))
    }
    const state = unrestored.length
      ? `Restoring failed for ${unrestored.join(', ')}; check them.`
      : 'The files already written were restored, so nothing changed.'
    throw new ToolError(`Writing ${failed.display} failed (${(error as Error).message}). ${state}`)
  }
}

/** Writes a file's text (through the port, if any) or deletes it (on the disk: editors cannot). */
async function put(write: FileWrite, content: string | null, access: PatchAccess): Promise<void> {
  if (content === null) await unlink(write.absolute).catch(ignoreMissing)
  else
    await writeFileText(access.files, write.absolute, write.display, content, {
      signal: access.signal,
      mode: write.mode,
    })
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error
}

async function loadState(absolute: string, display: string, access: PatchAccess): Promise<State> {
  const info = await stat(absolute).catch(() => undefined)
  if (!info) return { display, original: null, current: null }
  refuseSpecialFile(info, display)
  if (!info.isFile()) throw new ToolError(`${display} is not a regular file; apply_patch only changes files.`)
  const bytes = access.files ? await readHead(absolute, display) : await readRegularFile(absolute, display)
  if (looksBinary(bytes))
    throw new ToolError(`${display} is a binary file; apply_patch only changes text files.`)
  const content = access.files
    ? await readThrough(access.files, absolute, display, { signal: access.signal })
    : bytes.toString('utf8')
  return { display, original: content, current: content, mode: info.mode & 0o7777 }
}

/** The patched text, or an error naming the first hunk that does not fit. */
function applyHunks(source: string, hunks: StructuredPatchHunk[], display: string): string {
  const patch = { oldFileName: display, newFileName: display, oldHeader: '', newHeader: '', hunks }
  const result = applyPatch(source, patch)
  if (result !== false) return result
  // Apply growing prefixes of the hunk list to find the first one that fails.
  let failing = hunks.length - 1
  for (let n = 1; n < hunks.length; n++) {
    if (applyPatch(source, { ...patch, hunks: hunks.slice(0, n) }) === false) {
      failing = n - 1
      break
    }
  }
  const hunk = hunks[failing]!
  throw new ToolError(
    `Hunk ${failing + 1} of ${hunks.length} for ${display} (@@ -${hunk.oldStart},${hunk.oldLines} @@) does not match the file's current content. Nothing was written. Re-read ${display} and make the patch's context and removed lines match it exactly.`,
  )
}

function countChanges(hunks: readonly StructuredPatchHunk[]): { added: number; removed: number } {
  let added = 0
  let removed = 0
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line[0] === '+') added++
      else if (line[0] === '-') removed++
    }
  }
  return { added, removed }
}
