/** Pure: the text of an agent file → a definition, or the problem with its path and field. */
import { basename, extname } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { keyPath } from '../read.js'
import {
  AGENT_NAME,
  type AgentDefinition,
  type AgentFileProblem,
  type AgentOrigin,
  agentFrontMatterSchema,
} from './schema.js'
import { penguinToolNames, splitToolList } from './tool-names.js'

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

export type ParsedAgent = { ok: true; agent: AgentDefinition } | { ok: false; problem: AgentFileProblem }

export function parseAgentFile(text: string, file: string, origin: AgentOrigin): ParsedAgent {
  const fail = (field: string, message: string): ParsedAgent => ({
    ok: false,
    problem: { file, field, message },
  })
  const match = FRONT_MATTER.exec(text)
  if (!match) return fail('front matter', 'the file must start with YAML front matter between "---" lines')
  let data: unknown
  try {
    data = parseYaml(match[1] ?? '') ?? {}
  } catch (error) {
    return fail('front matter', `not valid YAML: ${(error as Error).message.split('\n')[0]}`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail('front matter', 'expected key: value pairs')
  }
  const parsed = agentFrontMatterSchema().safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return fail(
      issue?.path.length ? keyPath(issue.path as (string | number)[]) : 'front matter',
      issue?.message ?? 'invalid',
    )
  }
  const front = parsed.data
  // opencode names agents by their file; Claude Code by `name`.
  const name = front.name ?? basename(file, extname(file))
  if (!AGENT_NAME.test(name))
    return fail('name', `"${name}" is not a usable agent name (letters, digits, ".", "_", "-")`)
  const prompt = text.slice(match[0].length).trim()
  if (!prompt) return fail('body', "the body (the agent's system prompt) is empty")
  const { tools, disallowed } = toolLists(front.tools, front.disallowedTools)
  return {
    ok: true,
    agent: {
      name,
      description: front.description ?? '',
      ...(tools ? { tools } : {}),
      ...(disallowed.length ? { disallowedTools: disallowed } : {}),
      ...(front.model ? { model: front.model } : {}),
      ...(front.permissions ? { permissions: front.permissions } : {}),
      ...(front.reasoning ? { reasoning: front.reasoning } : {}),
      ...(front.max_iterations ? { maxIterations: front.max_iterations } : {}),
      ...(front.recursive ? { recursive: true } : {}),
      prompt,
      origin,
      file,
    },
  }
}

function toolLists(
  tools: string | string[] | Record<string, boolean> | undefined,
  disallowedTools: string | string[] | undefined,
): { tools: string[] | undefined; disallowed: string[] } {
  const disallowed = disallowedTools ? penguinToolNames(splitToolList(disallowedTools)) : []
  if (tools === undefined) return { tools: undefined, disallowed }
  if (typeof tools === 'string' || Array.isArray(tools)) {
    return { tools: penguinToolNames(splitToolList(tools)), disallowed }
  }
  // opencode: `{ write: false, bash: false }` switches tools off; `true` entries change nothing.
  const off = Object.entries(tools)
    .filter(([, on]) => !on)
    .map(([name]) => name)
  return { tools: undefined, disallowed: [...new Set([...disallowed, ...penguinToolNames(off)])] }
}
