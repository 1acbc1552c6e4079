import { z } from 'zod'
import { oneLine } from '../details/text.js'
import { defineTool, type Tool, ToolError } from '../tool.js'
import { counted } from '../words.js'

/** A remembered note, as a backend returns it. */
export interface MemoryRecord {
  id: number
  content: string
  tags: string[]
  createdAt: string
  /** The content around the matches, when the backend can tell. */
  snippet?: string
}

/**
 * Where memories live. The tools know nothing of storage: the CLI and the server hand them one
 * backed by the project store, scoped to the project or workspace, so what an agent learns in one
 * session is found in the next.
 */
export interface MemoryBackend {
  save(memory: { content: string; tags: string[] }): Promise<MemoryRecord> | MemoryRecord
  search(query: string, limit: number): Promise<MemoryRecord[]> | MemoryRecord[]
}

const saveParameters = z.object({
  content: z
    .string()
    .trim()
    .min(1)
    .max(4000)
    .describe('The fact to remember, self-contained: a later session sees only this text'),
  tags: z.array(z.string().trim().min(1).max(40)).max(10).optional().describe('A few keywords to find it by'),
})

const searchParameters = z.object({
  query: z.string().trim().min(1).describe('Words to look for, e.g. "how to run the tests"'),
  limit: z.int().min(1).max(20).optional().describe('Most results to return (default 5)'),
})

/** `memory_save` and `memory_search` over a backend. */
export function memoryTools(backend: MemoryBackend): Tool[] {
  const save = defineTool({
    name: 'memory_save',
    description:
      'Save a durable fact about this project for future sessions: conventions, commands that work, ' +
      'decisions and their reasons, pitfalls. Not for transient progress.',
    parameters: saveParameters,
    // Saving a note changes nothing in the workspace, so it needs no permission.
    permission: () => ({ access: 'read', subject: '' }),
    title: ({ content }) => content,
    async execute({ content, tags }) {
      const saved = await backend.save({ content, tags: [...new Set(tags ?? [])] })
      return {
        output: `Saved memory ${saved.id}.`,
        details: {
          kind: 'generic',
          summary: `#${saved.id}: ${oneLine(content, 120)}`,
          data: { memory: saved },
        },
      }
    },
  })
  const search = defineTool({
    name: 'memory_search',
    description:
      'Search what earlier sessions saved about this project with memory_save. Use it at the start of a task ' +
      'and before guessing at conventions or commands.',
    parameters: searchParameters,
    readOnly: true,
    title: ({ query }) => `"${query}"`,
    async execute({ query, limit }) {
      let hits: MemoryRecord[]
      try {
        hits = await backend.search(query, limit ?? 5)
      } catch (error) {
        throw new ToolError(`Memory search failed: ${error instanceof Error ? error.message : String(error)}`)
      }
      const details = {
        kind: 'search',
        summary: `"${oneLine(query, 120)}" (${counted(hits.length, 'memory', 'memories')})`,
        query,
        matches: hits.length,
        truncated: false,
      } as const
      if (hits.length === 0) return { output: `No memories match "${query}".`, details }
      const lines = hits.map((hit) => {
        const tags = hit.tags.length ? ` [${hit.tags.join(', ')}]` : ''
        return `- (${hit.id}, ${hit.createdAt.slice(0, 10)})${tags} ${hit.content}`
      })
      return {
        output: [`${hits.length} memor${hits.length === 1 ? 'y' : 'ies'}:`, ...lines].join('\n'),
        details,
      }
    },
  })
  return [save, search]
}
