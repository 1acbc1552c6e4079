/**
 * `/undo` and `/redo` over whole turns, for every chat front end (terminal UI, line chat, remote
 * chat). Nothing is remembered in memory: what can be undone or redone is read from the session's
 * stored checkpoints and conversation each time, so it survives `/resume`, `--continue` and a
 * restart, and the three front ends cannot disagree.
 *
 * - A turn that changed files took one or more `turn` checkpoints (one before each step that could
 *   change files); each holds the conversation up to that step, so its last prompt is the turn's.
 *   A turn is still in effect when all of its checkpoint's messages are in the conversation.
 * - Undo restores the newest in-effect turn's FIRST checkpoint (the files before the turn), keeping
 *   only the messages before its prompt: files and conversation go back together.
 * - Every restore first takes a `pre_restore` checkpoint of the state it leaves, which holds the
 *   whole conversation. Redo restores the newest one whose conversation continues the current one;
 *   a new turn changes the conversation, so what was undone before it can no longer be redone.
 */
import type { FileChange } from '@penguin-ai/checkpoints'
import { oneLine } from '@penguin-ai/tools/details'
import type { Painter } from '../render/paint.js'
import { paintVisible } from '../render/visible.js'
import { describeChanges } from './confirm.js'

/** A checkpoint as the turn history needs it (store `Checkpoint`, or the server's JSON). */
export interface TurnCheckpoint {
  id: number
  kind: string
  /** The conversation when it was taken: inclusive ranges of message ids. */
  messages: ReadonlyArray<readonly [number, number]>
}

/** A message of the current conversation. */
export interface TurnMessage {
  id: number
  role: string
  /** For a prompt the user sent (a user message that is not a compaction summary): its text. */
  prompt?: string
}

export interface SessionHistory {
  checkpoints: readonly TurnCheckpoint[]
  /** The conversation as it stands (reverted messages left out), oldest first. */
  messages: readonly TurnMessage[]
}

/** What a chat's session offers the turn history: read it, and restore a checkpoint. */
export interface TurnSource {
  load(): Promise<SessionHistory>
  restore(checkpointId: number, keepMessages?: number): Promise<{ changes: FileChange[] }>
}

export interface UndoTarget {
  /** The first checkpoint the turn took. */
  checkpoint: number
  /** Messages before the turn's prompt: what undoing it keeps. */
  keep: number
  prompt: string
}

export interface TurnOutcome {
  /** The prompt of the turn undone or redone (one line). */
  prompt: string
  changes: FileChange[]
  messagesBefore: number
  messagesAfter: number
}

export type TurnResult = { done: TurnOutcome } | { nothing: string }

const NOTHING_TO_UNDO =
  'Nothing to undo: no turn of this session that changed files is left. (/checkpoints and /restore reach older states.)'
const NOTHING_TO_REDO = 'Nothing to redo.'

/** The newest turn that changed files and is still in the conversation. */
export function undoTarget(history: SessionHistory): UndoTarget | undefined {
  const live = new Map(history.messages.map((message, index) => [message.id, { message, index }]))
  let best: { checkpoint: number; prompt: number; keep: number } | undefined
  for (const checkpoint of history.checkpoints) {
    if (checkpoint.kind !== 'turn') continue
    const ids = expand(checkpoint.messages)
    if (ids.length === 0 || !ids.every((id) => live.has(id))) continue
    const promptId = ids.findLast((id) => live.get(id)?.message.prompt !== undefined)
    if (promptId === undefined) continue
    const keep = ids.filter((id) => id < promptId).length
    // The newest prompt wins; among one turn's checkpoints, the first (smallest id).
    if (!best || promptId > best.prompt || (promptId === best.prompt && checkpoint.id < best.checkpoint))
      best = { checkpoint: checkpoint.id, prompt: promptId, keep }
  }
  if (!best) return undefined
  const prompt = live.get(best.prompt)?.message.prompt ?? ''
  return { checkpoint: best.checkpoint, keep: best.keep, prompt: promptLabel(prompt) }
}

/** The newest `pre_restore` checkpoint whose conversation goes on from the current one. */
export function redoTarget(history: SessionHistory): number | undefined {
  const current = history.messages.map((message) => message.id)
  let best: number | undefined
  for (const checkpoint of history.checkpoints) {
    if (checkpoint.kind !== 'pre_restore' || (best !== undefined && checkpoint.id < best)) continue
    const ids = expand(checkpoint.messages)
    if (ids.length > current.length && current.every((id, index) => ids[index] === id)) best = checkpoint.id
  }
  return best
}

export async function undoTurn(source: TurnSource): Promise<TurnResult> {
  const history = await source.load()
  const target = undoTarget(history)
  if (!target) return { nothing: NOTHING_TO_UNDO }
  const { changes } = await source.restore(target.checkpoint, target.keep)
  return {
    done: {
      prompt: target.prompt,
      changes,
      messagesBefore: history.messages.length,
      messagesAfter: target.keep,
    },
  }
}

export async function redoTurn(source: TurnSource): Promise<TurnResult> {
  const before = await source.load()
  const target = redoTarget(before)
  if (target === undefined) return { nothing: NOTHING_TO_REDO }
  const { changes } = await source.restore(target)
  const after = await source.load()
  // The prompt that came back first: the start of what was redone.
  const known = new Set(before.messages.map((message) => message.id))
  const back = after.messages.find((message) => !known.has(message.id) && message.prompt !== undefined)
  return {
    done: {
      prompt: promptLabel(back?.prompt ?? ''),
      changes,
      messagesBefore: before.messages.length,
      messagesAfter: after.messages.length,
    },
  }
}

/** What `/undo` or `/redo` did, as the chat says it. */
export function describeTurnResult(what: 'undo' | 'redo', result: TurnResult, paint: Painter): string {
  if ('nothing' in result) return result.nothing
  const { prompt, changes, messagesBefore, messagesAfter } = result.done
  const verb = what === 'undo' ? 'Undid' : 'Redid'
  const lines = [
    `${verb} “${paintVisible(prompt, paint)}”:`,
    describeChanges(changes),
    `  conversation: ${messagesBefore} → ${messagesAfter} messages`,
  ]
  if (what === 'undo') lines.push(paint.dim('/redo brings it back.'))
  return lines.join('\n')
}

/**
 * The prompt as the user typed it: without the files they attached (`@path`) and the commands they
 * ran themselves (`!cmd`), which the chat adds around it.
 */
export function promptLabel(text: string): string {
  let typed = text.split('\n\nAttached by the user:\n')[0] ?? ''
  if (typed.startsWith('I ran this command myself')) typed = typed.split('\n\n').at(-1) ?? typed
  return oneLine(typed, 60)
}

/** A stored message (the store's, or the server's JSON) as the turn history sees it. */
export function turnMessage(message: {
  id: number
  role: string
  parts: readonly { type: string; text?: string }[]
}): TurnMessage {
  const prompt = message.role === 'user' ? promptText(message.parts) : undefined
  return { id: message.id, role: message.role, ...(prompt === undefined ? {} : { prompt }) }
}

/** A user message's text, unless it is a compaction summary (which no one typed). */
export function promptText(parts: readonly { type: string; text?: string }[]): string | undefined {
  if (parts.some((part) => part.type === 'summary')) return undefined
  return parts
    .flatMap((part) => (part.type === 'text' && part.text !== undefined ? [part.text] : []))
    .join('\n')
}

function expand(ranges: TurnCheckpoint['messages']): number[] {
  const ids: number[] = []
  for (const [from, to] of ranges) for (let id = from; id <= to; id++) ids.push(id)
  return ids.sort((a, b) => a - b)
}
