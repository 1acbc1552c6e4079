import { stat } from 'node:fs/promises'
import { ToolError } from './tool.js'
import { isInside, type Workspace } from './workspace.js'

/** A directory inside the workspace, or a `ToolError` saying what the path is instead. */
export async function resolveDirectory(workspace: Workspace, input: string): Promise<string> {
  const dir = await workspace.resolve(input)
  const info = await stat(dir).catch(() => undefined)
  const display = workspace.relative(dir)
  if (!info)
    throw new ToolError(`Directory not found: ${display}. Use list_files to see which directories exist.`)
  if (!info.isDirectory())
    throw new ToolError(`${display} is a file, not a directory. Use read_file to read it.`)
  return dir
}

/** `.gitignore` files from the workspace root down apply; an allowed path outside has only its own. */
export function ignoreRootFor(workspace: Workspace, dir: string): string {
  return isInside(workspace.root, dir) ? workspace.root : dir
}
