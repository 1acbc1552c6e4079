import type { AsyncStore } from '@penguin-ai/store'
import type { MemoryBackend } from '@penguin-ai/tools'
import type { RedactText } from './redact.js'

/** Memories belong to a project when there is one, else to the workspace directory. */
export function memoryScope(options: { projectId?: number | null; workspace: string }): string {
  return options.projectId ? `project:${options.projectId}` : `workspace:${options.workspace}`
}

/**
 * The memory tools' backend over the store: saved in `scope`, searched in `scope` and any extra
 * scopes (a project's tasks also see what was learned in its workspace). `redact` is applied to
 * what is saved (secrets stay out of the database).
 */
export function storeMemoryBackend(
  store: AsyncStore,
  options: { scope: string; searchScopes?: string[]; sessionId?: string; redact?: RedactText },
): MemoryBackend {
  const scopes = [...new Set([options.scope, ...(options.searchScopes ?? [])])]
  return {
    save: async ({ content, tags }) => {
      const memory = await store.saveMemory({
        scope: options.scope,
        content: options.redact ? options.redact(content) : content,
        tags: options.redact ? tags.map((tag) => options.redact?.(tag) ?? tag) : tags,
        ...(options.sessionId ? { sessionId: options.sessionId } : {}),
      })
      return { id: memory.id, content: memory.content, tags: memory.tags, createdAt: memory.createdAt }
    },
    search: async (query, limit) =>
      (await store.searchMemories(query, { scopes, limit })).map((hit) => ({
        id: hit.id,
        content: hit.content,
        tags: hit.tags,
        createdAt: hit.createdAt,
        snippet: hit.snippet,
      })),
  }
}

/**
 * The memory tools' backend of a session whose store is still opening: each call waits for it.
 * Undefined (the session runs unrecorded) or failed: the tools answer that memory is unavailable.
 */
export function lateMemoryBackend(
  store: Promise<AsyncStore | undefined>,
  options: { scope: string; searchScopes?: string[]; sessionId?: string; redact?: RedactText },
): MemoryBackend {
  const backend = async (): Promise<MemoryBackend> => {
    const opened = await store.catch(() => undefined)
    if (!opened)
      throw new Error('memory is unavailable: this session is not saved (its database could not be opened)')
    return storeMemoryBackend(opened, options)
  }
  return {
    save: async (memory) => (await backend()).save(memory),
    search: async (query, limit) => (await backend()).search(query, limit),
  }
}
