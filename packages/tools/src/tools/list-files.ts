import { z } from 'zod'
import { ignoreRootFor, resolveDirectory } from '../directories.js'
import { loadWalk } from '../lazy.js'
import { pathPermission } from '../permission-subject.js'
import { defineTool, ToolError } from '../tool.js'
import { counted } from '../words.js'

export const LIST_MAX_ENTRIES = 1000

const parameters = z.object({
  path: z.string().optional().describe('Directory to list (default: the workspace root)'),
  pattern: z
    .string()
    .optional()
    .describe(
      'Glob on paths relative to that directory, e.g. "**/*.ts"; without "/" it matches names at any depth',
    ),
})

export const listFilesTool = defineTool({
  name: 'list_files',
  description:
    'List files recursively (directories end with "/"), honouring .gitignore. With pattern, only matching files.',
  parameters,
  readOnly: true,
  permission: ({ path }, workspace) => pathPermission('read', path ?? '.', workspace),
  title: ({ path, pattern }) => [path ?? '.', pattern].filter(Boolean).join(' '),
  async preview({ path, pattern }, workspace) {
    const realPath = await resolveDirectory(workspace, path ?? '.')
    const display = workspace.relative(realPath)
    const summary = [display, pattern].filter(Boolean).join(' ')
    return { kind: 'search', summary, query: pattern ?? '', path: display, realPath }
  },
  async execute({ path, pattern }, { workspace, signal, denied }) {
    const dir = await resolveDirectory(workspace, path ?? '.')
    const display = workspace.relative(dir)
    if (denied?.(display))
      throw new ToolError(`Permission denied: the permission rules forbid listing ${display}.`)
    const where = [display, pattern].filter(Boolean).join(' ')
    const details = (total: number) =>
      ({
        kind: 'search',
        summary: `${where} (${pattern ? counted(total, 'file') : counted(total, 'entry', 'entries')})`,
        query: pattern ?? '',
        path: display,
        matches: total,
        truncated: total > LIST_MAX_ENTRIES,
      }) as const
    const { globMatcher, walk } = await loadWalk()
    const matches = pattern ? globMatcher(pattern) : undefined
    const shown: string[] = []
    let total = 0
    const walking = walk(dir, {
      ignoreRoot: ignoreRootFor(workspace, dir),
      signal,
      // Denied paths are left out (directories not entered), as if they were ignored.
      ...(denied ? { skip: (entry) => denied(workspace.relative(entry.absolutePath)) } : {}),
    })
    for await (const entry of walking) {
      if (matches && (entry.kind === 'directory' || !matches(entry.path))) continue
      total++
      if (shown.length < LIST_MAX_ENTRIES) {
        const name = workspace.relative(entry.absolutePath)
        shown.push(entry.kind === 'directory' ? `${name}/` : name)
      }
    }
    if (total === 0) {
      const output = pattern
        ? `No files under ${display} match ${JSON.stringify(pattern)}.`
        : `${display} is empty.`
      return { output, details: details(0) }
    }
    if (total > shown.length) {
      shown.push(
        `… ${(total - shown.length).toLocaleString('en-US')} more entries not shown; narrow with path or pattern`,
      )
    }
    return { output: shown.join('\n'), details: details(total) }
  },
})
