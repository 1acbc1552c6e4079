/** The loop's steps where extensions have a say, kept out of the loop itself. */
import { type ToolSpec, textBlock, type UserMessage, userMessage } from '@penguin-ai/llm'
import type { Tool } from '@penguin-ai/tools'
import type { ExtensionChain, ExtensionScope } from './extension-chain.js'

export type RunStop = { kind: string; message: string }

/**
 * The prompt as the model will read it: with what extensions add (a SessionStart hook's context on
 * the first prompt, a UserPromptSubmit hook's on each), or why it may not be sent.
 */
export async function openPrompt(
  chain: ExtensionChain,
  scope: ExtensionScope,
  prompt: string,
  options: { sessionStart: 'startup' | 'resume' | undefined; submit?: boolean },
): Promise<{ message: UserMessage } | { stop: RunStop }> {
  if (chain.size === 0) return { message: userMessage(prompt) }
  const context: string[] = []
  if (options.sessionStart) {
    const started = await chain.sessionStart(scope, options.sessionStart)
    context.push(...started.context)
    if (started.stop !== undefined) return { stop: stopped(started.stop) }
  }
  const submitted = options.submit === false ? { context: [] } : await chain.promptSubmit(scope, prompt)
  context.push(...submitted.context)
  if (submitted.stop !== undefined) return { stop: stopped(submitted.stop) }
  if (submitted.block !== undefined) {
    return { stop: { kind: 'blocked', message: `The prompt was blocked: ${submitted.block}` } }
  }
  const message = userMessage(prompt)
  // Separate blocks, so the prompt itself stays what the user typed; the text joins readably.
  for (const text of context) if (text.trim()) message.content.push(textBlock(`\n\n${text}`))
  return { message }
}

/** How a run an extension ended is reported (status `failed`, error kind `stopped`). */
export function stopped(reason: string): RunStop {
  return { kind: 'stopped', message: reason ? `Stopped by a hook: ${reason}` : 'Stopped by a hook.' }
}

export function specsOf(tools: Map<string, Tool>): ToolSpec[] {
  return [...tools.values()].map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: tool.jsonSchema,
  }))
}
