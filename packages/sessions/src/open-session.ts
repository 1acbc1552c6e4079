import type { Message } from '@penguin-ai/llm'
import type { AsyncStore, Session } from '@penguin-ai/store'
import { toEngineHistory } from './convert.js'

export interface SessionChoice {
  workspace: string
  model?: string
  projectId?: number | null
  title?: string | null
  /** A new sub-agent's session: the session whose `task` call starts it. */
  parentSessionId?: string
  /**
   * The agent the session runs as: a new sub-agent's, or the one picked for a top-level session
   * (`--agent`). A resumed session switches to it from this run on.
   */
  agent?: string
  /** Resume this session (id or unique prefix). */
  sessionRef?: string
  /**
   * The record of the session to resume, when the caller has just read it (a server checked it is
   * visible): resumed as it is, without reading it again. Wins over `sessionRef`.
   */
  stored?: Session
  /** Resume the latest session of the workspace; a new one if there is none. */
  continueLatest?: boolean
}

export interface OpenedSession {
  session: Session
  /** The conversation to give the engine. */
  history: Message[]
  resumed: boolean
}

/** Picks the session a run belongs to: the one asked for, the workspace's latest, or a new one. */
export async function openSession(store: AsyncStore, choice: SessionChoice): Promise<OpenedSession> {
  const existing =
    choice.stored ??
    (choice.sessionRef
      ? await store.requireSession(choice.sessionRef)
      : choice.continueLatest
        ? await store.latestSession(choice.workspace)
        : undefined)
  if (existing) {
    const changes = {
      ...(choice.model && existing.model !== choice.model ? { model: choice.model } : {}),
      ...(choice.agent && existing.agent !== choice.agent ? { agent: choice.agent } : {}),
    }
    return {
      session: Object.keys(changes).length ? await store.updateSession(existing.id, changes) : existing,
      history: toEngineHistory(await store.listMessages(existing.id)),
      resumed: true,
    }
  }
  const session = await store.createSession({
    workspace: choice.workspace,
    ...(choice.model ? { model: choice.model } : {}),
    ...(choice.projectId ? { projectId: choice.projectId } : {}),
    ...(choice.title ? { title: choice.title } : {}),
    ...(choice.parentSessionId ? { parentSessionId: choice.parentSessionId } : {}),
    ...(choice.agent ? { agent: choice.agent } : {}),
  })
  return { session, history: [], resumed: false }
}

/** A session's title from its first prompt: one line, at most 60 characters. */
export function titleFrom(prompt: string): string {
  const line = prompt.replace(/\s+/g, ' ').trim()
  return line.length > 60 ? `${line.slice(0, 57)}…` : line
}
