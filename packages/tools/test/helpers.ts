import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'
import type { CommandDetails, ToolFileChange } from '../src/details/schema.js'
import type { Tool, ToolContext, ToolResult } from '../src/tool.js'
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../src/workspace.js'

const created: string[] = []

afterAll(async () => {
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })))
})

export async function tempDir(prefix = 'penguin-tools-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  created.push(dir)
  return dir
}

export interface Fixture {
  root: string
  workspace: Workspace
  ctx: ToolContext
  write(rel: string, content: string): Promise<string>
  read(rel: string): Promise<string>
  run(tool: Tool, args: unknown): Promise<ToolResult>
}

/** The files of a `file-edit` result (none for any other kind). */
export function fileChanges(result: ToolResult): ToolFileChange[] {
  return result.details?.kind === 'file-edit' ? result.details.files : []
}

/** The details of a `run_command` result; throws for any other kind. */
export function commandDetails(result: ToolResult): CommandDetails {
  if (result.details?.kind !== 'command')
    throw new Error(`not a command result: ${JSON.stringify(result.details)}`)
  return result.details
}

/** A workspace in a fresh temporary directory, with files written from `files`. */
export async function fixture(
  files: Record<string, string> = {},
  options: WorkspaceOptions = {},
): Promise<Fixture> {
  const dir = await tempDir()
  const workspace = await openWorkspace(dir, options)
  const root = workspace.root
  const write = async (rel: string, content: string) => {
    const file = path.join(root, rel)
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, content)
    return file
  }
  for (const [rel, content] of Object.entries(files)) await write(rel, content)
  const ctx: ToolContext = { workspace, signal: new AbortController().signal, callId: 'call-1' }
  return {
    root,
    workspace,
    ctx,
    write,
    read: (rel) => readFile(path.join(root, rel), 'utf8'),
    run: (tool, args) => tool.run(args, ctx),
  }
}
