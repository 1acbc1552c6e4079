/**
 * An incremental parser for the `text/event-stream` format (the WHATWG HTML "Server-sent events"
 * rules): feed it text in chunks cut anywhere — inside a line, between CR and LF — and it hands back
 * each complete message. Lines end with LF, CRLF or CR; `:` lines are comments; `data` lines join
 * with LF; one space after the colon is dropped; a message is dispatched at a blank line.
 */

/** One dispatched message. */
export interface SseMessage {
  /** The `event:` field, or `message` when absent. */
  event: string
  /** The `data:` lines joined with `\n`. */
  data: string
  /** The last event id seen so far in the stream (it persists across messages, as in browsers). */
  id: string | undefined
}

export class SseParser {
  private buffer = ''
  /** The previous chunk ended with CR: a LF at the start of the next one belongs to it. */
  private pendingCr = false
  private started = false
  private event = ''
  private data: string[] = []
  private hasData = false
  /** The server's `retry:` advice in milliseconds, when it gave one. */
  retry: number | undefined
  /**
   * The id of the last dispatched message, persisted across messages: what to send as
   * `Last-Event-ID` when reconnecting. (An `id:` line only counts once its message is complete.)
   */
  lastEventId: string | undefined
  private idBuffer: string | undefined

  constructor(lastEventId?: string) {
    this.lastEventId = lastEventId
    this.idBuffer = lastEventId
  }

  /** Parses a chunk of text and returns the messages it completed (possibly none). */
  push(chunk: string): SseMessage[] {
    let text = chunk
    if (!this.started && text.length > 0) {
      this.started = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1)
    this.pendingCr = false
    const messages: SseMessage[] = []
    let data = this.buffer + text
    let start = 0
    for (let i = 0; i < data.length; i++) {
      const code = data.charCodeAt(i)
      if (code !== 10 && code !== 13) continue
      const message = this.line(data.slice(start, i))
      if (message) messages.push(message)
      if (code === 13) {
        if (i + 1 === data.length) this.pendingCr = true
        else if (data.charCodeAt(i + 1) === 10) i++
      }
      start = i + 1
    }
    data = data.slice(start)
    this.buffer = data
    return messages
  }

  /** Forgets a partial message, e.g. after the connection dropped (the id is kept). */
  reset(): void {
    this.buffer = ''
    this.pendingCr = false
    this.started = false
    this.event = ''
    this.data = []
    this.hasData = false
    this.idBuffer = this.lastEventId
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch()
    if (line.startsWith(':')) return undefined
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    switch (field) {
      case 'event':
        this.event = value
        break
      case 'data':
        this.data.push(value)
        this.hasData = true
        break
      case 'id':
        if (!value.includes('\u0000')) this.idBuffer = value
        break
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value)
        break
      default:
        break
    }
    return undefined
  }

  private dispatch(): SseMessage | undefined {
    this.lastEventId = this.idBuffer
    const message: SseMessage | undefined = this.hasData
      ? { event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId }
      : undefined
    this.event = ''
    this.data = []
    this.hasData = false
    return message
  }
}
