import { z } from 'zod'
import { unifiedDiff } from '../files.js'
import { type FilePatch, parsePatchText } from '../patch/parse-patch.js'
import { commitWrites, type FileSummary, planPatch } from '../patch/plan-patch.js'
import { defineTool } from '../tool.js'
import { subjectPath, type Workspace } from '../workspace.js'

const parameters = z.object({
  patch: z
    .string()
    .describe('Unified diff; "--- a/path" "+++ b/path" per file, /dev/null for created or deleted files'),
})

const STATUS_LETTER: Record<FileSummary['status'], string> = {
  modified: 'M',
  created: 'A',
  deleted: 'D',
  renamed: 'R',
}

export const applyPatchTool = defineTool({
  name: 'apply_patch',
  description:
    'Apply a unified diff to one or more files, all or nothing. Hunks must match the current file content.',
  parameters,
  permission: ({ patch }, workspace) => {
    const paths = patchPaths(patch, workspace)
    return { access: 'write', subject: paths.join(', '), paths }
  },
  async execute({ patch }, { workspace }) {
    const files = parsePatchText(patch)
    const { summaries, writes } = await planPatch(workspace, files)
    await commitWrites(writes)
    const lines = summaries.map((s) => {
      const name = s.from ? `${s.from} → ${s.path}` : s.path
      return `${STATUS_LETTER[s.status]} ${name} (+${s.added} -${s.removed})`
    })
    const count = summaries.length === 1 ? '1 file' : `${summaries.length} files`
    return {
      output: `Applied patch to ${count}:\n${lines.join('\n')}`,
      details: {
        files: summaries,
        diffs: writes.map((w) => ({
          path: w.display,
          diff: unifiedDiff(w.display, w.before ?? '', w.after ?? ''),
        })),
      },
    }
  },
})

/** The files a patch touches, for the permission policy; none when it cannot be parsed. */
export function patchPaths(patch: string, workspace?: Workspace): string[] {
  let files: FilePatch[]
  try {
    files = parsePatchText(patch)
  } catch {
    return []
  }
  const names = new Set<string>()
  for (const file of files) {
    for (const name of [file.oldPath, file.newPath]) {
      if (name !== null) names.add(subjectPath(name, workspace))
    }
  }
  return [...names]
}
