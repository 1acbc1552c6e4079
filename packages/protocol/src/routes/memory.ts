/** Memories: list a scope (newest first) or search it (q, best first), save, delete. */

import { route } from '../route.js'
import { IntIdParam, listOf } from '../schemas/common.js'
import { CreateMemoryBody, ListMemoryQuery, MemorySchema } from '../schemas/memory.js'

export const listMemory = route({
  method: 'get',
  path: '/memory',
  summary: 'List the memories of one or more scopes, or search them with q',
  notes: '`scope` may repeat to read several scopes; newest first, or best first when `q` searches',
  tags: ['memory'],
  query: ListMemoryQuery,
  response: { status: 200, description: 'memories', schema: listOf(MemorySchema) },
})

export const createMemory = route({
  method: 'post',
  path: '/memory',
  summary: 'Save a memory',
  tags: ['memory'],
  body: CreateMemoryBody,
  response: { status: 201, description: 'the saved memory', schema: MemorySchema },
  errors: [404],
})

export const deleteMemory = route({
  method: 'delete',
  path: '/memory/{id}',
  summary: 'Delete a memory',
  tags: ['memory'],
  params: IntIdParam,
  response: { status: 204, description: 'deleted' },
  errors: [404],
})
