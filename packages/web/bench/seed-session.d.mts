import type { Session, Store } from '@penguin-ai/store'

/** Stores a session of `count` messages (default 500) in the workspace and returns it. */
export function seedSession(store: Store, workspace: string, count?: number): Session
