import { z } from 'zod'
import type { fileChange } from '../change.js'
import type { FileOperation, ToolFileChange } from '../details/schema.js'
import { loadChange, loadPatchPlan } from '../lazy.js'
import { type FilePatch, parsePatchText } from '../patch/parse-patch.js'
import type { FileSummary, PatchAccess, PatchPlan } from '../patch/plan-patch.js'
import { defineTool } from '../tool.js'
import { changeCounts } from '../words.js'
import { subjectPath, type Workspace } from '../workspace.js'

const parameters = z.object({
  patch: z
    .string()
    .describe('Unified diff; "--- a/path" "+++ b/path" per file, /dev/null for created or deleted files'),
})

const OPERATION: Record<FileSummary['status'], FileOperation> = {
  modified: 'modify',
  created: 'add',
  deleted: 'delete',
  renamed: 'rename',
}

const LETTER: Record<FileOperation, string> = { modify: 'M', add: 'A', delete: 'D', rename: 'R' }

export const applyPatchTool = defineTool({
  name: 'apply_patch',
  description:
    'Apply a unified diff to one or more files, all or nothing. Hunks must match the current file content.',
  parameters,
  permission: ({ patch }, workspace) => {
    const paths = patchPaths(patch, workspace)
    return { access: 'write', subject: paths.join(', '), paths }
  },
  title: ({ patch }) => patchTitle(patch),
  async preview({ patch }, workspace, { files }) {
    const { changes } = await planChanges(workspace, patch, { files })
    return { kind: 'file-edit', summary: summarise(changes), files: changes }
  },
  async execute({ patch }, { workspace, files, signal }) {
    const { plan, changes } = await planChanges(workspace, patch, { files, signal })
    await (await loadPatchPlan()).commitWrites(plan.writes, { files, signal })
    const lines = plan.summaries.map((s) => {
      const name = s.from ? `${s.from} → ${s.path}` : s.path
      return `${LETTER[OPERATION[s.status]]} ${name} (+${s.added} -${s.removed})`
    })
    const count = plan.summaries.length === 1 ? '1 file' : `${plan.summaries.length} files`
    return {
      output: `Applied patch to ${count}:\n${lines.join('\n')}`,
      details: { kind: 'file-edit', summary: summarise(changes), files: changes },
    }
  },
})

/** Fits the whole patch in memory (a `ToolError` when it does not) and describes every file it touches. */
async function planChanges(
  workspace: Workspace,
  patch: string,
  access: PatchAccess,
): Promise<{ plan: PatchPlan; changes: ToolFileChange[] }> {
  const files = parsePatchText(patch)
  const [{ planPatch }, { fileChange }] = await Promise.all([loadPatchPlan(), loadChange()])
  const plan = await planPatch(workspace, files, access)
  return { plan, changes: describeChanges(workspace, files, plan, fileChange) }
}

/**
 * One change per file on disk, with its operation, the paths the patch named and the diff from its
 * content before the patch to after it. A file the patch touches twice is listed once.
 */
function describeChanges(
  workspace: Workspace,
  files: readonly FilePatch[],
  plan: PatchPlan,
  describe: typeof fileChange,
): ToolFileChange[] {
  const changes = new Map<string, ToolFileChange>()
  plan.summaries.forEach((summary, index) => {
    const section = files[index]
    let operation = OPERATION[summary.status]
    const previous = changes.get(summary.absolute)
    if (previous?.operation === 'add' && operation === 'modify') operation = 'add'
    const target = plan.contents.get(summary.absolute)
    const source = summary.fromAbsolute === undefined ? target : plan.contents.get(summary.fromAbsolute)
    changes.set(
      summary.absolute,
      describe({
        workspace,
        operation,
        absolute: summary.absolute,
        requested: (operation === 'delete' ? section?.oldPath : section?.newPath) ?? undefined,
        from: summary.fromAbsolute,
        before: operation === 'add' ? null : (source?.before ?? null),
        after: operation === 'delete' ? null : (target?.after ?? null),
      }),
    )
  })
  return [...changes.values()]
}

/** `M a.ts, D b.ts (+3 -20)`. */
function summarise(changes: readonly ToolFileChange[]): string {
  const names = changes.map(
    (change) => `${LETTER[change.operation]} ${change.from ? `${change.from} → ` : ''}${change.path}`,
  )
  const added = changes.reduce((sum, change) => sum + change.added, 0)
  const removed = changes.reduce((sum, change) => sum + change.removed, 0)
  return `${names.join(', ')} ${changeCounts(added, removed)}`
}

/** The files of a patch with their operations as it names them (no file system), for a call's title. */
function patchTitle(patch: string): string {
  let files: FilePatch[]
  try {
    files = parsePatchText(patch)
  } catch {
    return 'patch'
  }
  return files
    .map((file) => {
      if (file.oldPath === null) return `A ${file.newPath}`
      if (file.newPath === null) return `D ${file.oldPath}`
      if (file.oldPath !== file.newPath) return `R ${file.oldPath} → ${file.newPath}`
      return `M ${file.newPath}`
    })
    .join(', ')
}

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
