import { seg, type Transport } from '../http.js'
import type { Checkpoint, CheckpointDiff, CheckpointRestore, ItemList, Permission, Run } from '../records.js'
import type { PermissionReplyBody, RequestOptions, RestoreCheckpointBody } from '../requests.js'

/** `/api/v1/runs…`: engine runs of sessions. */
export class Runs {
  constructor(private readonly http: Transport) {}

  get(id: string, options: RequestOptions = {}): Promise<Run> {
    return this.http.json('GET', `/api/v1/runs/${seg(id)}`, { signal: options.signal })
  }

  /** 202 Run; 404 unknown, 409 already finished. The run then ends with status `aborted`. */
  cancel(id: string, options: RequestOptions = {}): Promise<Run> {
    return this.http.json('POST', `/api/v1/runs/${seg(id)}/cancel`, { body: {}, signal: options.signal })
  }
}

/** `/api/v1/permissions…`: what running sessions are waiting for. */
export class Permissions {
  constructor(private readonly http: Transport) {}

  /** Pending asks, of one session or all. */
  list(query: { session_id?: string } = {}, options: RequestOptions = {}): Promise<ItemList<Permission>> {
    return this.http.json('GET', '/api/v1/permissions', { query: { ...query }, signal: options.signal })
  }

  /** Answers an ask: `once`, `always` (for the rest of the session) or `reject`. 404 when already answered. */
  reply(
    id: string,
    body: PermissionReplyBody,
    options: RequestOptions = {},
  ): Promise<{ id: string; reply: PermissionReplyBody['reply'] }> {
    return this.http.json('POST', `/api/v1/permissions/${seg(id)}`, { body, signal: options.signal })
  }
}

/** Checkpoints: workspace snapshots taken before each turn that can change files. */
export class Checkpoints {
  constructor(private readonly http: Transport) {}

  /** A session's checkpoints. */
  list(sessionId: string, options: RequestOptions = {}): Promise<ItemList<Checkpoint>> {
    return this.http.json('GET', `/api/v1/sessions/${seg(sessionId)}/checkpoints`, { signal: options.signal })
  }

  /** What changed in the workspace since the checkpoint. */
  diff(id: number, options: RequestOptions = {}): Promise<CheckpointDiff> {
    return this.http.json('GET', `/api/v1/checkpoints/${seg(id)}/diff`, { signal: options.signal })
  }

  /**
   * Files and conversation back to the checkpoint (undoable through `undo_checkpoint_id`); 409
   * during a run. `keep_messages` keeps only the start of its conversation (undoing a whole turn).
   */
  restore(
    id: number,
    body: RestoreCheckpointBody = {},
    options: RequestOptions = {},
  ): Promise<CheckpointRestore> {
    return this.http.json('POST', `/api/v1/checkpoints/${seg(id)}/restore`, {
      body,
      signal: options.signal,
    })
  }
}
