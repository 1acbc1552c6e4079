/**
 * The terminal in raw mode for the chat UI: keys arrive one by one (Ctrl-C and Esc included, as
 * keys rather than signals), pastes arrive bracketed, and Shift+Enter is told apart where the
 * terminal can report it (kitty keyboard protocol). Everything is put back on exit, however the
 * process ends.
 */
import { type Key, parseKeys } from './keys.js'

const ENTER = '\u001b[?2004h\u001b[>1u'
const LEAVE = '\u001b[?2004l\u001b[<u\u001b[?25h'

export class RawTerminal {
  private pending = ''
  private listener: ((key: Key) => void) | undefined
  private active = false
  private readonly onData = (chunk: string) => {
    const parsed = parseKeys(chunk, this.pending)
    this.pending = parsed.pending
    for (const key of parsed.keys) this.listener?.(key)
  }
  private readonly onExit = () => this.restore()

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
  ) {}

  start(listener: (key: Key) => void): void {
    this.listener = listener
    if (this.active) return
    this.active = true
    this.input.setRawMode(true)
    this.input.setEncoding('utf8')
    this.input.on('data', this.onData)
    this.input.resume()
    this.output.write(ENTER)
    process.on('exit', this.onExit)
  }

  /** Hands the terminal back as it was (cooked mode, no bracketed paste, cursor shown). */
  restore(): void {
    if (!this.active) return
    this.active = false
    this.input.off('data', this.onData)
    this.input.setRawMode(false)
    this.input.pause()
    this.output.write(LEAVE)
    process.off('exit', this.onExit)
  }
}
