import { realpath } from 'node:fs/promises'
import { arch, platform } from 'node:os'
import { isAbsolute, join, relative, sep } from 'node:path'
import { readRegularPrefix } from '@penguin-ai/tools'
import type { EngineOptions } from './engine-options.js'
import { gitHead } from './git-head.js'

/** Project instruction files, first found wins. */
export const INSTRUCTION_FILES = ['PENGUIN.md', 'AGENTS.md'] as const

/** Instruction files can be long; the prompt is paid on every turn, so keep a bound. */
const MAX_INSTRUCTIONS_CHARS = 12_000

export interface PromptEnvironment {
  workspace: string
  os: string
  date: string
  git?: string
  /** What the OS sandbox lets commands do, when there is one. */
  sandbox?: string
  instructions?: { file: string; text: string }
  /** The agent the session runs as: its prompt is the agent section. */
  agent?: { name: string; prompt: string }
}

// Every token here is paid on every turn: say what changes behaviour, nothing else.
const BASE_PROMPT = `You are Penguin, an autonomous software engineer working in the user's repository.
- Explore before changing: list_files, grep and read_file. Paths are relative to the workspace root.
- Make focused changes in the project's style with edit_file (or apply_patch / write_file).
- Verify with run_command: run the relevant tests or build. Fix what you broke.
- Use todo_write to plan multi-step work.
- Do not ask for confirmation. When done, reply with a short summary of what you changed and how you verified it.`

export function renderSystemPrompt(env: PromptEnvironment): string {
  const lines = [`workspace: ${env.workspace}`, `os: ${env.os}`, `date: ${env.date}`]
  if (env.git) lines.push(`git: ${env.git}`)
  if (env.sandbox) lines.push(`sandbox: ${env.sandbox}`)
  let prompt = `${BASE_PROMPT}\n\n<env>\n${lines.join('\n')}\n</env>`
  if (env.instructions) {
    prompt += `\n\n<instructions file="${env.instructions.file}">\n${env.instructions.text}\n</instructions>`
  }
  if (env.agent) prompt += `\n\n<agent name="${env.agent.name}">\n${env.agent.prompt}\n</agent>`
  return prompt
}

/**
 * The prompt an engine with these options builds by default (its workspace, its sandbox's rules).
 * Never rejects. Start it early and pass it as `systemPrompt` to overlap the git probe with start-up.
 */
export function environmentPrompt(
  options: Pick<EngineOptions, 'workspace' | 'sandbox' | 'agent'>,
): Promise<string> {
  const sandbox = options.sandbox?.rules()
  return buildSystemPrompt(options.workspace.root, {
    ...(sandbox ? { sandbox } : {}),
    ...(options.agent ? { agent: options.agent } : {}),
  })
}

/** Reads the environment facts the prompt needs. Never fails: missing facts are left out. */
export async function gatherEnvironment(
  workspace: string,
  now = new Date(),
  extra: { sandbox?: string; agent?: { name: string; prompt: string } } = {},
): Promise<PromptEnvironment> {
  // Only the branch (or "detached HEAD"): the prompt must be byte-identical on every turn and after
  // `--continue` for the provider's prompt cache to hit, and the working tree's state moves with
  // every edit the agent makes (the model asks git when it needs that). Read from .git/HEAD.
  const [git, instructions] = await Promise.all([gitHead(workspace), readInstructions(workspace)])
  return {
    workspace,
    os: `${platform()} ${arch()}`,
    date: now.toISOString().slice(0, 10),
    ...(git ? { git } : {}),
    ...(extra.sandbox ? { sandbox: extra.sandbox } : {}),
    ...(instructions ? { instructions } : {}),
    ...(extra.agent ? { agent: extra.agent } : {}),
  }
}

/** `sandbox`: what the OS sandbox lets commands do (`Sandbox.rules()`), when commands run in one. */
export async function buildSystemPrompt(
  workspace: string,
  options: { sandbox?: string; agent?: { name: string; prompt: string } } = {},
): Promise<string> {
  return renderSystemPrompt(await gatherEnvironment(workspace, new Date(), options))
}

/**
 * The repository's instructions. They are repository content: a link out of the workspace
 * (`AGENTS.md -> ~/.ssh/id_rsa`, `/proc/self/environ`) is not followed, and a pipe or device there
 * is skipped without being opened for a blocking read (see readRegularPrefix).
 */
async function readInstructions(workspace: string): Promise<{ file: string; text: string } | undefined> {
  for (const file of INSTRUCTION_FILES) {
    try {
      const real = await realpath(join(workspace, file))
      const inside = relative(await realpath(workspace), real)
      if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) continue
      // Bytes enough for the character bound in any encoding; the rest is never read.
      const { bytes } = await readRegularPrefix(real, MAX_INSTRUCTIONS_CHARS * 4)
      const text = bytes.toString('utf8')
      const trimmed = text.trim()
      if (!trimmed) continue
      return {
        file,
        text:
          trimmed.length > MAX_INSTRUCTIONS_CHARS
            ? `${trimmed.slice(0, MAX_INSTRUCTIONS_CHARS)}\n… [truncated]`
            : trimmed,
      }
    } catch {
      // Not present (or not a regular file): try the next name.
    }
  }
  return undefined
}
