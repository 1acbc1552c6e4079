/** Store records → the API's JSON records (snake_case), typed by the schemas in @penguin-ai/protocol. */
import type { MemoryJson } from '@penguin-ai/protocol/api'
import type { Memory, MemoryHit } from '@penguin-ai/store'

export function memoryJson(memory: Memory | MemoryHit): MemoryJson {
  return {
    id: memory.id,
    scope: memory.scope,
    content: memory.content,
    tags: memory.tags,
    session_id: memory.sessionId,
    created_at: memory.createdAt,
    ...('rank' in memory ? { rank: memory.rank, snippet: memory.snippet } : {}),
  }
}
