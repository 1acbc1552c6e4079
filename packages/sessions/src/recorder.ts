import { addUsage, type Engine, type EngineEvent } from '@penguin-ai/engine'
import { type Message, textOf, type Usage } from '@penguin-ai/llm'
import type { AsyncStore, NewMessage, Session } from '@penguin-ai/store'
import { capDetails, type ToolDetails } from '@penguin-ai/tools'
import { summaryMessage, toNewMessage } from './convert.js'
import { type RedactText, redactMessage, secretRedactor } from './redact.js'

/**
 * Writes an engine's conversation into a session as it happens: whatever the engine added is
 * appended when the next turn starts and when a run ends, so a crash loses at most the turn in
 * flight. The engine knows nothing about it; the recorder only listens.
 *
 * Secrets never reach the database: every message is redacted on its way in (`redact`; by default
 * the values of credential-named variables of `process.env`, key shapes and URL passwords). The
 * engine keeps its own copy unchanged, so the model sees the run as it happened.
 *
 * Appends go to the store one after another, in order (a promise chain); `settled()` waits for
 * them and reports the first that failed.
 */
export class SessionRecorder {
  readonly sessionId: string
  /** Undefined while the session's database is still opening: nothing is written until `attach`. */
  private store: AsyncStore | undefined
  private readonly engine: Engine
  /** The appends in flight, in order. */
  private writes: Promise<void> = Promise.resolve()
  private failure: { error: unknown } | undefined
  /** How many of the engine's messages are already in the store. */
  private persisted: number
  private pendingUsage: { usage: Usage; cost: number } | undefined
  /** Details of finished tool calls whose results are not stored yet, by call id. */
  private readonly details = new Map<string, ToolDetails>()
  /** Messages delivered from a database row (see `receipt`): the row goes when they are stored. */
  private readonly receipts = new WeakMap<Message, number>()
  private readonly unsubscribe: () => void
  private readonly redact: RedactText
  /** The session's new title, written with the next append (see `setTitle`). */
  private pendingTitle: string | undefined

  /** `persisted`: how many of the engine's current messages came from the session (resume). */
  constructor(options: {
    store: AsyncStore | undefined
    engine: Engine
    session: Pick<Session, 'id'>
    persisted?: number
    redact?: RedactText
    /** The recorder this one takes over from: its writes come first (and its failure is ours). */
    previous?: SessionRecorder
  }) {
    this.store = options.store
    this.redact = options.redact ?? secretRedactor()
    this.engine = options.engine
    this.sessionId = options.session.id
    this.persisted = options.persisted ?? options.engine.messages.length
    this.unsubscribe = options.engine.subscribe((event) => this.onEvent(event))
    if (options.previous) this.track(() => options.previous?.settled())
  }

  /**
   * The database opened after the engine started (a new session whose first request did not wait
   * for it): everything the engine holds so far is written now, and from then on as it happens.
   */
  attach(store: AsyncStore): void {
    this.store = store
    void this.flush()
  }

  /**
   * Appends what the engine added since the last flush, up to `upTo` messages (default all). The
   * rows are taken now; the returned promise resolves when every append so far is done (it never
   * rejects: a failed append is reported by `settled()`).
   */
  flush(upTo = this.engine.messages.length): Promise<void> {
    if (!this.store) return this.writes
    const messages = this.engine.messages.slice(this.persisted, upTo)
    if (messages.length === 0) return this.pendingTitle === undefined ? this.writes : this.write([])
    const rows: NewMessage[] = []
    for (const message of messages) {
      const row = toNewMessage(message, (callId) => this.details.get(callId))
      if (row) rows.push(redactMessage(row, this.redact))
    }
    // A turn's usage belongs to the assistant message it produced: the last one in this batch.
    const lastAssistant = rows.map((row) => row.role).lastIndexOf('assistant')
    if (this.pendingUsage && lastAssistant >= 0) {
      const row = rows[lastAssistant] as NewMessage
      row.inputTokens = this.pendingUsage.usage.inputTokens
      row.outputTokens = this.pendingUsage.usage.outputTokens
      row.cacheReadTokens = this.pendingUsage.usage.cacheReadTokens
      row.cacheWriteTokens = this.pendingUsage.usage.cacheWriteTokens
      row.costUsd = this.pendingUsage.cost
      row.model = this.engine.model.id
      this.pendingUsage = undefined
    }
    this.persisted = upTo
    for (const message of messages) if (message.role === 'tool') this.details.delete(message.toolCallId)
    const consumes = messages.flatMap((message) => this.receipts.get(message) ?? [])
    return this.write(rows, consumes)
  }

  /**
   * `message` (one of the engine's) was delivered from the database row `receipt` (a server's
   * control message): the append that stores it deletes the row in the same transaction.
   */
  receipt(message: Message, receipt: number): void {
    this.receipts.set(message, receipt)
  }

  /**
   * Gives the session `title` with the next append — a run's first holds its prompt, so the title
   * costs no write of its own — or with the next flush, should there be nothing to append.
   */
  setTitle(title: string): void {
    this.pendingTitle = title
  }

  /** Every append so far is stored; rejects with the first that failed (reported once). */
  async settled(): Promise<void> {
    await this.writes
    const failure = this.failure
    this.failure = undefined
    if (failure) throw failure.error
  }

  /**
   * Runs `write` after every write so far, in the same order as the conversation's appends (a
   * session's model or title change, say); its failure is reported by `settled()`.
   */
  track(write: () => Promise<unknown> | undefined): Promise<void> {
    this.writes = this.writes.then(async () => {
      try {
        await write()
      } catch (error) {
        this.failure ??= { error }
      }
    })
    return this.writes
  }

  private write(rows: NewMessage[], consumes: number[] = []): Promise<void> {
    const { sessionId, store } = this
    if (!store) return this.writes
    const title = this.pendingTitle
    this.pendingTitle = undefined
    const options = {
      ...(consumes.length ? { consumes } : {}),
      ...(title === undefined ? {} : { title }),
    }
    return this.track(() =>
      Object.keys(options).length
        ? store.appendMessages(sessionId, rows, options)
        : store.appendMessages(sessionId, rows),
    )
  }

  /** The engine's conversation was replaced wholesale (resume, restore): start counting from it. */
  reset(persisted = this.engine.messages.length): void {
    this.persisted = persisted
    this.pendingUsage = undefined
    this.details.clear()
  }

  detach(): void {
    this.unsubscribe()
  }

  private onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'usage':
        this.pendingUsage = {
          usage: this.pendingUsage ? addUsage(this.pendingUsage.usage, event.usage) : event.usage,
          cost: (this.pendingUsage?.cost ?? 0) + event.cost,
        }
        return
      case 'tool.finished':
        // Kept with the session in a bounded size: history needs the gist and the diff, not megabytes.
        this.details.set(event.callId, capDetails(event.details))
        return
      case 'turn.started':
      case 'run.finished':
        // Failures surface from settled() at the run's end (AgentSession.run awaits it).
        void this.flush()
        return
      case 'context.compacted':
        // Without a summary, outputs were only pruned/truncated in place: the stored messages stay
        // whole, and a resumed run prunes them again when it needs to.
        if (event.summary !== undefined) this.onCompacted(event.summary, event.keptMessages)
        return
      default:
        return
    }
  }

  /**
   * The engine replaced older messages with a summary followed by `kept` of them. Everything before
   * was already stored (compaction happens between turns), so only the summary is new.
   */
  private onCompacted(summaryText: string, kept: number): void {
    // Nothing stored yet: `attach` writes the conversation as the compaction left it.
    if (!this.store) return
    const first = this.engine.messages[0]
    const text = first?.role === 'user' ? textOf(first) : summaryText
    this.persisted = 1 + kept
    void this.write([redactMessage(summaryMessage(text, kept), this.redact)])
  }
}
