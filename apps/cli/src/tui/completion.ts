/**
 * Completion under the prompt: `/` commands with their one-line help, and `@path` mentions from the
 * workspace (a directory at a time, as typed). Tab takes the common prefix, or the only match.
 */
import { readdirSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'

export interface SlashCommand {
  name: string
  args?: string
  help: string
}

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { name: '/help', help: 'keys, commands and modes' },
  { name: '/undo', help: 'revert the last turn that changed files (files and conversation)' },
  { name: '/redo', help: 'bring back what /undo reverted' },
  { name: '/diff', help: 'everything changed in the workspace during this session' },
  { name: '/mode', args: '[ask|auto|plan]', help: 'show or switch the mode (also Shift+Tab)' },
  { name: '/model', args: '[id]', help: 'show the model, or switch to provider/model' },
  { name: '/agent', args: '[name]', help: 'show the agent, or switch (build, plan, explore, …)' },
  { name: '/new', help: 'start a new session (the current one stays saved)' },
  { name: '/clear', help: 'same as /new' },
  { name: '/sessions', help: 'recent sessions of this workspace' },
  { name: '/resume', args: 'ID', help: 'continue a saved session' },
  { name: '/checkpoints', help: 'checkpoints of this session' },
  { name: '/restore', args: 'ID', help: 'go back to a checkpoint' },
  { name: '/compact', help: 'summarise older turns now to free context' },
  { name: '/exit', help: 'quit (also Ctrl-D, or Ctrl-C twice)' },
]

export interface Suggestion {
  /** What Tab puts in place of the word. */
  value: string
  /** What the list shows (with help). */
  label: string
  help?: string
}

export function commandSuggestions(word: string): Suggestion[] {
  return SLASH_COMMANDS.filter((command) => command.name.startsWith(word)).map((command) => ({
    value: command.name,
    label: command.args ? `${command.name} ${command.args}` : command.name,
    help: command.help,
  }))
}

const HIDDEN = new Set(['.git', 'node_modules'])

/** `@src/ma` → the entries of `src/` starting with `ma` (directories end in `/`), inside the workspace only. */
export function pathSuggestions(word: string, root: string, limit = 50): Suggestion[] {
  const typed = word.slice(1)
  const slash = typed.lastIndexOf('/')
  const dir = slash === -1 ? '' : typed.slice(0, slash + 1)
  const prefix = typed.slice(slash + 1)
  const absolute = resolve(root, dir)
  const inside = relative(root, absolute)
  if (inside.startsWith('..') || inside.split(sep).includes('..')) return []
  let entries: Array<{ name: string; dir: boolean }>
  try {
    entries = readdirSync(absolute, { withFileTypes: true }).map((entry) => ({
      name: entry.name,
      dir: entry.isDirectory(),
    }))
  } catch {
    return []
  }
  return entries
    .filter((entry) => entry.name.startsWith(prefix) && !HIDDEN.has(entry.name))
    .filter((entry) => prefix.startsWith('.') || !entry.name.startsWith('.'))
    .sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((entry) => {
      const value = `@${dir}${entry.name}${entry.dir ? '/' : ''}`
      return { value, label: value }
    })
}

/** What Tab inserts: the only match, or the longest prefix all matches share. */
export function completionOf(word: string, suggestions: readonly Suggestion[]): string | undefined {
  if (suggestions.length === 0) return undefined
  if (suggestions.length === 1) {
    const only = suggestions[0]?.value ?? word
    return only.endsWith('/') ? only : `${only} `
  }
  let common = suggestions[0]?.value ?? ''
  for (const suggestion of suggestions) {
    while (!suggestion.value.startsWith(common)) common = common.slice(0, -1)
  }
  return common.length > word.length ? common : undefined
}

export function mentionPath(root: string, mention: string): string {
  return join(root, mention.slice(1))
}
