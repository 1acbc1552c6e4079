/**
 * What a tool card says about a call, from the call's details, title or preview alone: never from
 * its tool name, so any tool (a plugin's, an MCP server's) gets the same treatment. Pure.
 */
import { cut, oneLine } from '@penguin-ai/tools/details'
import type { ToolItem } from './chat-types.js'

/** The one line a card's header shows (a command's exit code has a badge of its own). */
export function cardTitle(item: ToolItem): string {
  if (item.details?.kind === 'command') return oneLine(item.details.command)
  return item.details?.summary ?? item.title ?? item.permission?.preview?.summary ?? argumentsLine(item.args)
}

/** Arguments on one line, for calls nothing else describes (stored before details existed). */
export function argumentsLine(args: unknown): string {
  if (args === undefined || (typeof args === 'object' && args !== null && Object.keys(args).length === 0))
    return ''
  return cut(oneLine(typeof args === 'string' ? args : (JSON.stringify(args) ?? '')), 160)
}

/** A command's exit code, when the call ran a command. */
export function exitCode(item: ToolItem): number | undefined {
  const details = item.details
  return details?.kind === 'command' && details.exitCode !== null ? details.exitCode : undefined
}

/** How a person would say what is asked. */
export function permissionVerb(access: 'read' | 'write' | 'execute'): string {
  return access === 'execute' ? 'run' : access === 'write' ? 'change' : 'read'
}
