/**
 * Shared set-up of the agent tests (cli-agents, cli-agent-sessions, cli-subagents): a user with
 * their own config folder, agent files and session database; what a recorded chat request offered
 * and said; the `.claude/agents/reviewer.md` of Claude Code's docs.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MockServer, RecordedRequest } from '@penguin-ai/mock-llm'
import { type CliResult, runPenguin, type SpawnOptions } from './cli-helpers.js'

export interface TestUser {
  /** The user's agent folder (XDG_CONFIG_HOME/penguin/agents). */
  agentsDir: string
  /** A session database of their own, for runs that resume (pass it with --db). */
  db: string
  penguin(args: string[], options?: SpawnOptions): Promise<CliResult>
  /** `penguin run --model openai/gpt-4o --base-url <the mock> --db <theirs>`, then `args`. */
  run(server: MockServer, args: string[], options?: SpawnOptions): Promise<CliResult>
}

/** A user with their own config directory (XDG_CONFIG_HOME), user agent files and config. */
export async function agentUser(
  agents: Record<string, string> = {},
  config: Record<string, unknown> = {},
  defaults: SpawnOptions = {},
): Promise<TestUser> {
  const xdg = await mkdtemp(join(tmpdir(), 'penguin-xdg-'))
  const agentsDir = join(xdg, 'penguin', 'agents')
  await mkdir(agentsDir, { recursive: true })
  await writeFile(join(xdg, 'penguin', 'config.json'), JSON.stringify(config))
  for (const [name, text] of Object.entries(agents)) await writeFile(join(agentsDir, name), text)
  const data = await mkdtemp(join(tmpdir(), 'penguin-data-'))
  const env = { XDG_CONFIG_HOME: xdg, OPENAI_API_KEY: 'sk-test' }
  const db = join(data, 'penguin.db')
  const penguin: TestUser['penguin'] = (args, options = {}) =>
    runPenguin(args, { ...defaults, ...options, env: { ...env, ...defaults.env, ...options.env } })
  return {
    agentsDir,
    db,
    penguin,
    run: (server, args, options) =>
      penguin(['run', '--model', 'openai/gpt-4o', '--base-url', server.url, '--db', db, ...args], options),
  }
}

export interface ChatBody {
  messages: Array<{ role: string; content: string | null; tool_call_id?: string }>
  tools?: Array<{ function: { name: string } }>
}

export const chatBody = (request: RecordedRequest): ChatBody => request.body as unknown as ChatBody

/** The tool names a request offered, in the order offered. */
export const toolNames = (server: MockServer, index = 0): string[] =>
  (chatBody(server.requests[index] as RecordedRequest).tools ?? []).map((tool) => tool.function.name)

/** A request's system prompt. */
export const systemPrompt = (server: MockServer, index = 0): string =>
  chatBody(server.requests[index] as RecordedRequest).messages[0]?.content ?? ''

/** Claude Code's example agent file, as a user would drop it into `.claude/agents/reviewer.md`. */
export const REVIEWER = `---
name: reviewer
description: Reviews code for bugs
tools: Read, Grep, Glob
model: inherit
color: blue
---
You are a meticulous reviewer. Point at bugs with file:line.
`
