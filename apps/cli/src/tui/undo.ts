/**
 * `/undo` and `/redo` over whole turns. A turn may take several checkpoints (one before each step
 * that can change files); undoing the turn restores the first of them, which brings back the files
 * as they were before it, and the conversation as it was before the turn's prompt (the checkpoint
 * holds the prompt and any steps before the first change: they are cut in the same restore). The
 * restore is itself checkpointed, so `/redo` restores that. Undo walks back turn by turn — a
 * second `/undo` undoes the turn before, never the undo — and a new turn clears what could be redone.
 */
import type { FileChange } from '@penguin-ai/checkpoints'
import type { AgentSession } from '@penguin-ai/sessions'

export interface TurnRecord {
  /** The prompt that started the turn (for "undid: …"). */
  prompt: string
  /** The checkpoint taken before the turn's first change. */
  checkpoint: number
  /** The session's messages before the turn's prompt: what undoing it keeps of the conversation. */
  priorMessages: number
}

interface Redo {
  turn: TurnRecord
  /** The checkpoint of the state before the undo. */
  checkpoint: number
}

export interface UndoOutcome {
  turn: TurnRecord
  changes: FileChange[]
  messagesBefore: number
  messagesAfter: number
}

export class TurnHistory {
  private readonly done: TurnRecord[] = []
  private readonly undone: Redo[] = []
  private turnStart: { checkpoint: number; messages: number } | undefined

  /**
   * Before a turn runs: remembers the newest checkpoint, to find the ones the turn takes, and the
   * conversation's length (the store has all of it: every run ends with a flush).
   */
  begin(agent: AgentSession | undefined): void {
    if (!agent?.checkpoints) return
    this.turnStart = {
      checkpoint: agent.checkpoints.latest()?.id ?? 0,
      messages: agent.session.messageCount,
    }
  }

  /** After a turn: if it took checkpoints (it changed files), it can be undone. */
  finish(agent: AgentSession | undefined, prompt: string): void {
    const start = this.turnStart
    this.turnStart = undefined
    if (start === undefined || !agent?.checkpoints) return
    const taken = agent.checkpoints
      .list()
      .filter((checkpoint) => checkpoint.id > start.checkpoint && checkpoint.kind === 'turn')
    const first = taken.at(-1) // the list is newest first
    if (!first) return
    this.done.push({ prompt, checkpoint: first.id, priorMessages: start.messages })
    this.undone.length = 0
  }

  get canUndo(): boolean {
    return this.done.length > 0
  }

  get canRedo(): boolean {
    return this.undone.length > 0
  }

  async undo(agent: AgentSession): Promise<UndoOutcome | undefined> {
    const turn = this.done.at(-1)
    if (!turn) return undefined
    const result = await agent.restore(turn.checkpoint, { keepMessages: turn.priorMessages })
    this.done.pop()
    this.undone.push({ turn, checkpoint: result.undo.id })
    return {
      turn,
      changes: result.changes,
      messagesBefore: result.messagesNow,
      messagesAfter: result.messagesAfter,
    }
  }

  async redo(agent: AgentSession): Promise<UndoOutcome | undefined> {
    const redo = this.undone.at(-1)
    if (!redo) return undefined
    const result = await agent.restore(redo.checkpoint)
    this.undone.pop()
    // Undoing it again goes back to the same state as the first time.
    this.done.push(redo.turn)
    return {
      turn: redo.turn,
      changes: result.changes,
      messagesBefore: result.messagesNow,
      messagesAfter: result.messagesAfter,
    }
  }

  /** The session changed under us (/new, /resume): nothing here applies any more. */
  clear(): void {
    this.done.length = 0
    this.undone.length = 0
  }
}
