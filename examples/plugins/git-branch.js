/**
 * A plugin that gives the model a tool: `current_branch` reads .git/HEAD. The function form gets
 * Penguin's `defineTool` in its context, so the file needs no imports at all; `parameters` may be
 * a zod schema or, as here, plain JSON Schema.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

export default function gitBranch({ cwd, defineTool }) {
  return {
    name: 'git-branch',
    tools: [
      defineTool({
        name: 'current_branch',
        description: 'The git branch checked out in the workspace (or the commit, when detached).',
        parameters: { type: 'object', properties: {}, additionalProperties: false },
        readOnly: true,
        async execute() {
          const head = (await readFile(join(cwd, '.git', 'HEAD'), 'utf8')).trim()
          return head.startsWith('ref: refs/heads/')
            ? head.slice('ref: refs/heads/'.length)
            : `detached at ${head}`
        },
      }),
    ],
  }
}
