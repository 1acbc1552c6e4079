/**
 * Penguin's tool events as ACP tool calls: kinds, locations and content (diffs for edits, the output
 * for commands). Pure apart from reading the edited files, which the diff content needs.
 */
import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import type * as acp from '@agentclientprotocol/sdk'
import type { PermissionPreview, ToolDetails, ToolFileChange } from '@penguin-ai/tools'
import { applyUnifiedDiff } from './patch-text.js'

/** Built-in tools by what they do; anything else (MCP, plugins) is `other` until its details say more. */
const KIND_BY_TOOL: Record<string, acp.ToolKind> = {
  read_file: 'read',
  list_files: 'search',
  grep: 'search',
  memory_search: 'search',
  edit_file: 'edit',
  write_file: 'edit',
  apply_patch: 'edit',
  memory_save: 'edit',
  run_command: 'execute',
  todo_write: 'think',
}

const KIND_BY_DETAILS: Partial<Record<ToolDetails['kind'], acp.ToolKind>> = {
  'file-read': 'read',
  'file-edit': 'edit',
  command: 'execute',
  search: 'search',
  todo: 'think',
}

export function toolKind(tool: string): acp.ToolKind {
  return KIND_BY_TOOL[tool] ?? 'other'
}

function absolute(workspace: string, path: string): string {
  return isAbsolute(path) ? path : join(workspace, path)
}

/** The file a call's arguments name (`path`), for the editor to follow along. */
export function argumentLocations(workspace: string, args: unknown): acp.ToolCallLocation[] {
  if (!args || typeof args !== 'object') return []
  const path = (args as { path?: unknown }).path
  return typeof path === 'string' && path ? [{ path: absolute(workspace, path) }] : []
}

/** Most of a long output is noise to an editor panel: keep its tail. */
export const OUTPUT_TAIL = 64 * 1024

export function tail(text: string): string {
  return text.length > OUTPUT_TAIL ? `…${text.slice(-OUTPUT_TAIL)}` : text
}

export function textContent(text: string): acp.ToolCallContent {
  return { type: 'content', content: { type: 'text', text } }
}

/** A command's output as a fenced block, so editors show it monospaced. */
export function outputContent(text: string): acp.ToolCallContent {
  const fence = text.includes('```') ? '````' : '```'
  return textContent(`${fence}\n${tail(text).replace(/\n$/, '')}\n${fence}`)
}

/** A file's current text (the editor's buffer, when it lends its file system), or undefined. */
export type TextReader = (path: string) => Promise<string | undefined>

export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * One changed file as ACP diff content. `on disk` is the file now: before the edit when asking
 * permission (`forward`), after it once it ran (`backward`).
 */
async function diffContent(
  workspace: string,
  file: ToolFileChange,
  direction: 'forward' | 'backward',
  read: TextReader,
): Promise<acp.ToolCallContent> {
  const path = file.realPath ?? absolute(workspace, file.path)
  const exists = direction === 'forward' ? file.operation !== 'add' : file.operation !== 'delete'
  const onDisk = exists ? ((await read(path)) ?? '') : ''
  const other = file.diff ? applyUnifiedDiff(onDisk, file.diff, direction) : undefined
  if (other === undefined) {
    // The hunks no longer match the file (it changed since): show the diff itself.
    return textContent(file.diff ? `\`\`\`diff\n${file.diff}\n\`\`\`` : `${file.operation} ${file.path}`)
  }
  const [oldText, newText] = direction === 'forward' ? [onDisk, other] : [other, onDisk]
  return {
    type: 'diff',
    path,
    oldText: file.operation === 'add' ? null : oldText,
    newText: file.operation === 'delete' ? '' : newText,
  }
}

function fileLocations(workspace: string, files: ToolFileChange[]): acp.ToolCallLocation[] {
  return files.map((file) => ({ path: file.realPath ?? absolute(workspace, file.path) }))
}

/** What a finished call shows: its kind, files and content, from its details. */
export async function finishedCall(
  workspace: string,
  details: ToolDetails,
  output: string,
  streamed: string | undefined,
  read: TextReader = readText,
): Promise<Pick<acp.ToolCallUpdate, 'kind' | 'content' | 'locations'>> {
  const kind = KIND_BY_DETAILS[details.kind]
  switch (details.kind) {
    case 'file-edit':
      return {
        kind: 'edit',
        locations: fileLocations(workspace, details.files),
        content: await Promise.all(
          details.files.map((file) => diffContent(workspace, file, 'backward', read)),
        ),
      }
    case 'command': {
      const text = [details.stdout, details.stderr].filter(Boolean).join('\n') || streamed || ''
      return {
        kind: 'execute',
        content: [outputContent(`$ ${details.command}\n${text}${text ? '\n' : ''}${details.summary}`)],
      }
    }
    case 'file-read':
      return {
        kind: 'read',
        locations: [
          {
            path: absolute(workspace, details.path),
            ...(details.startLine ? { line: details.startLine } : {}),
          },
        ],
        content: [textContent(details.summary)],
      }
    default:
      return {
        ...(kind ? { kind } : {}),
        content: [
          textContent(
            details.kind === 'generic' || details.kind === 'denied' ? tail(output) : details.summary,
          ),
        ],
      }
  }
}

/** What a permission question shows: the diff about to be written, or the command about to run. */
export async function previewContent(
  workspace: string,
  preview: PermissionPreview,
  read: TextReader = readText,
): Promise<{ content: acp.ToolCallContent[]; locations: acp.ToolCallLocation[] }> {
  switch (preview.kind) {
    case 'file-edit':
      return {
        content: await Promise.all(
          preview.files.map((file) => diffContent(workspace, file, 'forward', read)),
        ),
        locations: fileLocations(workspace, preview.files),
      }
    case 'command':
      return { content: [outputContent(`$ ${preview.command}`)], locations: [] }
    case 'file-read':
      return { content: [], locations: [{ path: preview.realPath }] }
    default:
      return { content: [], locations: [] }
  }
}
