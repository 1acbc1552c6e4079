import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSystemPrompt, estimateTokens } from '@penguin-ai/engine'
import { builtinTools } from '@penguin-ai/tools'

export interface PromptSize {
  systemPromptTokens: number
  toolSchemaTokens: number
  totalTokens: number
  tools: number
  systemPromptChars: number
  toolSchemaChars: number
}

/**
 * What Penguin sends before the user's first word: the system prompt (for a plain workspace, no
 * PENGUIN.md) and the built-in tools' schemas, in the engine's own token estimate (a pessimistic
 * 3.5 characters per token).
 */
export async function measurePromptSize(workspace?: string): Promise<PromptSize> {
  const dir = workspace ?? (await mkdtemp(join(tmpdir(), 'penguin-prompt-')))
  try {
    const system = await buildSystemPrompt(dir)
    const schemas = builtinTools().map(
      (tool) => tool.name + tool.description + JSON.stringify(tool.jsonSchema),
    )
    const systemPromptTokens = estimateTokens(system)
    const toolSchemaTokens = schemas.reduce((sum, text) => sum + estimateTokens(text), 0)
    return {
      systemPromptTokens,
      toolSchemaTokens,
      totalTokens: systemPromptTokens + toolSchemaTokens,
      tools: schemas.length,
      systemPromptChars: system.length,
      toolSchemaChars: schemas.reduce((sum, text) => sum + text.length, 0),
    }
  } finally {
    if (!workspace) await rm(dir, { recursive: true, force: true })
  }
}
