import { stat } from 'node:fs/promises'
import { z } from 'zod'
import { writeFileAtomic } from '../atomic-write.js'
import { countLines, unifiedDiff } from '../files.js'
import { pathPermission } from '../permission-subject.js'
import { readRegularFile, refuseSpecialFile } from '../special-files.js'
import { defineTool, ToolError } from '../tool.js'

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
  async execute({ path, content }, { workspace }) {
    const absolute = await workspace.resolve(path)
    const display = workspace.relative(absolute)
    const info = await stat(absolute).catch(() => undefined)
    if (info?.isDirectory()) throw new ToolError(`${display} is a directory; give a file path.`)
    if (info) refuseSpecialFile(info, display)
    const before = info ? (await readRegularFile(absolute, display)).toString('utf8') : undefined
    const lines = countLines(content)
    const bytes = Buffer.byteLength(content)
    const details = { path: display, bytes, lines, created: before === undefined }
    if (before === content) {
      return { output: `${display} already has this content (${lines} lines); nothing changed.`, details }
    }
    await writeFileAtomic(absolute, content)
    const diff = unifiedDiff(display, before ?? '', content)
    const output =
      before === undefined
        ? `Created ${display} (${lines} lines).`
        : `Overwrote ${display} (${lines} lines, was ${countLines(before)}).`
    return { output, details: { ...details, diff } }
  },
})
