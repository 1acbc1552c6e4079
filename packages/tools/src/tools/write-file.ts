import { stat } from 'node:fs/promises'
import { z } from 'zod'
import type { FileEditDetails, ToolFileChange } from '../details/schema.js'
import { type FileAccess, readThrough, writeFileText } from '../file-access.js'
import { countLines, looksBinary, readHead } from '../files.js'
import { loadChange } from '../lazy.js'
import { pathPermission } from '../permission-subject.js'
import { readRegularFile, refuseSpecialFile } from '../special-files.js'
import { defineTool, ToolError } from '../tool.js'
import { changeCounts } from '../words.js'
import type { Workspace } from '../workspace.js'

const parameters = z.object({
  path: z.string().describe('File path, relative to the workspace root'),
  content: z.string().describe('The complete new file content'),
})

export const writeFileTool = defineTool({
  name: 'write_file',
  description:
    'Create a file or replace its whole content; parent folders are created. Prefer edit_file for changes to existing files.',
  parameters,
  permission: ({ path }, workspace) => pathPermission('write', path, workspace),
  title: ({ path }) => path,
  async preview({ path, content }, workspace, { files }) {
    const { change } = await planWrite(workspace, path, content, { files })
    return { kind: 'file-edit', summary: summarise(change), files: [change] }
  },
  async execute({ path, content }, { workspace, files, signal }) {
    const { absolute, before, change } = await planWrite(workspace, path, content, { files, signal })
    const lines = countLines(content)
    const details: FileEditDetails = { kind: 'file-edit', summary: summarise(change), files: [change] }
    if (before === content) {
      return {
        output: `${change.path} already has this content (${lines} lines); nothing changed.`,
        details: { ...details, summary: `${change.path} (unchanged)` },
      }
    }
    await writeFileText(files, absolute, change.path, content, { signal })
    const output =
      before === null
        ? `Created ${change.path} (${lines} lines).`
        : `Overwrote ${change.path} (${lines} lines, was ${countLines(before)}).`
    return { output, details }
  },
})

async function planWrite(
  workspace: Workspace,
  path: string,
  content: string,
  access: { files?: FileAccess | undefined; signal?: AbortSignal | undefined },
): Promise<{ absolute: string; before: string | null; change: ToolFileChange }> {
  const absolute = await workspace.resolve(path)
  const display = workspace.relative(absolute)
  const info = await stat(absolute).catch(() => undefined)
  if (info?.isDirectory()) throw new ToolError(`${display} is a directory; give a file path.`)
  if (info) refuseSpecialFile(info, display)
  const before = info ? await currentText(absolute, display, access) : null
  const { fileChange } = await loadChange()
  const change = fileChange({
    workspace,
    operation: before === null ? 'add' : 'modify',
    absolute,
    requested: path,
    before,
    after: content,
  })
  return { absolute, before, change }
}

/**
 * What the file holds now, to diff against: through the port (the editor's buffer) when there is
 * one and the file is text; a binary file is only replaced, so its text is never asked for.
 */
async function currentText(
  absolute: string,
  display: string,
  { files, signal }: { files?: FileAccess | undefined; signal?: AbortSignal | undefined },
): Promise<string> {
  if (files && !looksBinary(await readHead(absolute, display)))
    return readThrough(files, absolute, display, { signal })
  return (await readRegularFile(absolute, display)).toString('utf8')
}

function summarise(change: ToolFileChange): string {
  if (change.operation === 'add') return `${change.path} (new, +${change.added})`
  return `${change.path} ${changeCounts(change.added, change.removed)}`
}
