import { z } from 'zod'
import type { ToolFileChange } from '../details/schema.js'
import { type FileAccess, writeFileText } from '../file-access.js'
import { loadTextFile, type TextFile } from '../files.js'
import { loadChange } from '../lazy.js'
import { pathPermission } from '../permission-subject.js'
import { defineTool, ToolError } from '../tool.js'
import { changeCounts } from '../words.js'
import type { Workspace } from '../workspace.js'

const parameters = z.object({
  path: z.string().describe('File path, relative to the workspace root'),
  old_string: z
    .string()
    .describe('Exact text to replace, including whitespace; must match once unless replace_all'),
  new_string: z.string().describe('Replacement text'),
  replace_all: z.boolean().optional().describe('Replace every occurrence (default false)'),
})

export const editFileTool = defineTool({
  name: 'edit_file',
  description: 'Replace an exact string in a file. Read the file first; old_string must match it exactly.',
  parameters,
  permission: ({ path }, workspace) => pathPermission('write', path, workspace),
  title: ({ path }) => path,
  async preview(args, workspace, { files }) {
    const { change } = await planFileEdit(workspace, args, { files })
    return {
      kind: 'file-edit',
      summary: `${change.path} ${changeCounts(change.added, change.removed)}`,
      files: [change],
    }
  },
  async execute(args, { workspace, files, signal }) {
    const { file, edit, change } = await planFileEdit(workspace, args, { files, signal })
    await writeFileText(files, file.absolute, file.display, edit.content, { signal })
    const plural = edit.replacements === 1 ? 'occurrence' : 'occurrences'
    return {
      output: `Edited ${file.display}: replaced ${edit.replacements} ${plural}.`,
      details: {
        kind: 'file-edit',
        summary: `${change.path} ${changeCounts(change.added, change.removed)}`,
        files: [change],
      },
    }
  },
})

type EditArgs = z.infer<typeof parameters>

/** The file, its edited content and the change, or a `ToolError` saying why the edit cannot be made. */
async function planFileEdit(
  workspace: Workspace,
  args: EditArgs,
  access: { files?: FileAccess | undefined; signal?: AbortSignal | undefined },
): Promise<{ file: TextFile; edit: { content: string; replacements: number }; change: ToolFileChange }> {
  if (args.old_string === '') {
    throw new ToolError(
      'old_string is empty. To create a file or replace all of its content, use write_file.',
    )
  }
  if (args.old_string === args.new_string) {
    throw new ToolError('old_string and new_string are identical, so there is nothing to change.')
  }
  const file = await loadTextFile(workspace, args.path, 'To create a new file, use write_file.', access)
  const edit = planEdit(
    file.content,
    args.old_string,
    args.new_string,
    args.replace_all ?? false,
    file.display,
  )
  const { fileChange } = await loadChange()
  const change = fileChange({
    workspace,
    operation: 'modify',
    absolute: file.absolute,
    requested: args.path,
    before: file.content,
    after: edit.content,
  })
  return { file, edit, change }
}

/** The edited content, or a `ToolError` saying why the edit is ambiguous or impossible. Pure. */
export function planEdit(
  content: string,
  oldString: string,
  newString: string,
  replaceAll: boolean,
  display: string,
): { content: string; replacements: number } {
  let search = oldString
  let replacement = newString
  // The model sees (and types) '\n'; a CRLF file still deserves an exact match on its own terms.
  if (!content.includes(search) && content.includes('\r\n') && search.includes('\n')) {
    search = search.replace(/\r?\n/g, '\r\n')
    replacement = replacement.replace(/\r?\n/g, '\r\n')
  }
  const positions = occurrences(content, search)
  if (positions.length === 0) {
    throw new ToolError(
      `old_string was not found in ${display}. Read the file again and copy the text exactly, including whitespace.${nearMiss(content, oldString)}`,
    )
  }
  if (positions.length > 1 && !replaceAll) {
    throw new ToolError(
      `old_string occurs ${positions.length} times in ${display}. Include more surrounding lines to make it unique, or set replace_all to true to replace every occurrence.`,
    )
  }
  const edited = replaceAll
    ? content.split(search).join(replacement)
    : content.slice(0, positions[0]) + replacement + content.slice(positions[0]! + search.length)
  return { content: edited, replacements: positions.length }
}

/** Start offsets of the non-overlapping occurrences of `search`. */
function occurrences(content: string, search: string): number[] {
  const found: number[] = []
  for (let i = content.indexOf(search); i !== -1; i = content.indexOf(search, i + search.length))
    found.push(i)
  return found
}

/** Points at lines that look like the start of old_string, the usual cause being different whitespace. */
function nearMiss(content: string, oldString: string): string {
  const first = oldString
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '')
  if (!first) return ''
  const lines: number[] = []
  content.split('\n').forEach((line, i) => {
    if (line.trim() === first && lines.length < 5) lines.push(i + 1)
  })
  if (lines.length === 0) return ''
  const where = lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`
  return ` Its first line matches ${where} (ignoring indentation); compare the text from there.`
}
