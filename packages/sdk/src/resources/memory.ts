import type { Transport } from '../http.js'
import { seg } from '../http.js'
import type { AgentList, ItemList, Memory, ModelList, UsageReport } from '../records.js'
import type { CreateMemoryBody, ListMemoryQuery, RequestOptions, UsageQuery } from '../requests.js'

/** `/api/v1/memory…`: what agents saved about projects and workspaces. */
export class Memories {
  constructor(private readonly http: Transport) {}

  /** Lists memories, or searches them (full text) when `q` is given. */
  list(query: ListMemoryQuery, options: RequestOptions = {}): Promise<ItemList<Memory>> {
    return this.http.json('GET', '/api/v1/memory', { query: { ...query }, signal: options.signal })
  }

  /** `list({...query, q})`: full-text search, best first. */
  search(
    q: string,
    query: Omit<ListMemoryQuery, 'q'>,
    options: RequestOptions = {},
  ): Promise<ItemList<Memory>> {
    return this.list({ ...query, q }, options)
  }

  create(body: CreateMemoryBody, options: RequestOptions = {}): Promise<Memory> {
    return this.http.json('POST', '/api/v1/memory', { body, signal: options.signal })
  }

  delete(id: number, options: RequestOptions = {}): Promise<void> {
    return this.http.empty('DELETE', `/api/v1/memory/${seg(id)}`, { signal: options.signal })
  }
}

/** `GET /api/v1/models`: the catalogue and the server's default model. */
export class Models {
  constructor(private readonly http: Transport) {}

  list(options: RequestOptions = {}): Promise<ModelList> {
    return this.http.json('GET', '/api/v1/models', { signal: options.signal })
  }
}

/** `GET /api/v1/agents`: the agents a session on a workspace can run as. */
export class Agents {
  constructor(private readonly http: Transport) {}

  /** The workspace: absolute, or relative to the server's `--root`. */
  list(query: { workspace: string }, options: RequestOptions = {}): Promise<AgentList> {
    return this.http.json('GET', '/api/v1/agents', { query: { ...query }, signal: options.signal })
  }
}

/** `GET /api/v1/usage`: tokens and cost, in total, by model and by project. */
export class UsageApi {
  constructor(private readonly http: Transport) {}

  get(query: UsageQuery = {}, options: RequestOptions = {}): Promise<UsageReport> {
    return this.http.json('GET', '/api/v1/usage', { query: { ...query }, signal: options.signal })
  }
}
