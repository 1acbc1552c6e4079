/**
 * Where agents come from, lowest first (a later one with the same name replaces an earlier one):
 * the built-ins, the user's `~/.config/penguin/agents/`, then a TRUSTED workspace's `.claude/agents/`,
 * `.opencode/agent(s)/` and `.penguin/agents/`. An untrusted workspace's files are not read: they
 * are counted and reported, since an agent may widen tools or set a model.
 */
import { readdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { readRegularPrefix } from '@penguin-ai/tools'
import { userConfigPath } from '../paths.js'
import { BUILTIN_AGENTS } from './builtin.js'
import type { AgentDefinition, AgentFileProblem, AgentOrigin } from './schema.js'

/** An agent file is a prompt: a bound keeps a huge (or endless) one out of memory. */
const MAX_AGENT_FILE_BYTES = 256 * 1024

export const WORKSPACE_AGENT_DIRS = [
  '.claude/agents',
  '.opencode/agent',
  '.opencode/agents',
  '.penguin/agents',
] as const

export interface AgentCatalogue {
  /** By name, built-ins first, then files in load order. */
  agents: AgentDefinition[]
  /** Files skipped: path, field and why. */
  problems: AgentFileProblem[]
  /** One line per thing the user should know (untrusted workspace files ignored, bad files). */
  warnings: string[]
}

export interface AgentSources {
  workspace: string
  /** Only a trusted workspace's agent files are read. */
  trusted: boolean
  /** Why it is not trusted, for the warning line (default: it is not). */
  untrusted?: string
  env?: NodeJS.ProcessEnv
}

export function userAgentsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(userConfigPath(env)), 'agents')
}

export async function loadAgents(sources: AgentSources): Promise<AgentCatalogue> {
  const byName = new Map<string, AgentDefinition>(BUILTIN_AGENTS.map((agent) => [agent.name, agent]))
  const problems: AgentFileProblem[] = []
  const warnings: string[] = []
  const add = async (dir: string, origin: AgentOrigin) => {
    for (const file of await markdownFiles(dir)) {
      let text: string
      try {
        // Agent files are repository content when they come from a workspace: regular files only.
        const { bytes } = await readRegularPrefix(file, MAX_AGENT_FILE_BYTES)
        text = bytes.toString('utf8')
      } catch (error) {
        problems.push({ file, field: 'file', message: (error as Error).message })
        continue
      }
      // The YAML parser is loaded only when there is an agent file to read.
      const { parseAgentFile } = await import('./parse.js')
      const parsed = parseAgentFile(text, file, origin)
      if (parsed.ok) byName.set(parsed.agent.name, parsed.agent)
      else problems.push(parsed.problem)
    }
  }
  await add(userAgentsDir(sources.env), 'user')
  const ignored: string[] = []
  for (const relative of WORKSPACE_AGENT_DIRS) {
    const dir = join(sources.workspace, relative)
    if (sources.trusted) await add(dir, 'workspace')
    else if ((await markdownFiles(dir)).length) ignored.push(`${relative}/`)
  }
  if (ignored.length) {
    warnings.push(
      `ignoring agent files in ${ignored.join(', ')} of ${sources.workspace}: ${sources.untrusted ?? 'this workspace is not trusted'} (trust it with: penguin trust ${sources.workspace}).`,
    )
  }
  for (const problem of problems) warnings.push(describeProblem(problem))
  return { agents: [...byName.values()], problems, warnings }
}

export function describeProblem(problem: AgentFileProblem): string {
  return `skipping agent file ${problem.file}: "${problem.field}": ${problem.message}`
}

async function markdownFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    return entries
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.md'))
      .map((entry) => join(dir, entry.name))
      .sort()
  } catch {
    return []
  }
}
