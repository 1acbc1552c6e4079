/**
 * An inline terminal screen: finished output is printed once, into the scrollback, and stays; below
 * it a small live area (the line still streaming, running tools, the status line, the prompt) is
 * redrawn in place. Every redraw is one write, wrapped in synchronized-output marks where the
 * terminal supports them, so nothing flickers. Rows of the live area never reach the last column
 * (no pending-wrap surprises), and it never grows past the terminal's height.
 */
export interface TerminalOut {
  write(text: string): unknown
  columns?: number
  rows?: number
}

import { wrapAnsi } from './ansi.js'

/** Printed rows kept to repaint the screen after a resize (only a screenful is ever shown again). */
const RECENT_ROWS = 500

const SYNC_START = '\u001b[?2026h'
const SYNC_END = '\u001b[?2026l'

export class LiveScreen {
  /** Rows of the live area drawn last time, and the row the cursor was left on. */
  private height = 0
  private cursorRow = 0
  private live: string[] = []
  /** The newest printed rows, to repaint the screen with after a resize. */
  private recent: string[] = []
  /** The terminal's size at the last frame. */
  private size: { columns: number; rows: number } | undefined
  private cursor: { row: number; column: number } | undefined
  private pending = ''

  /** `dirty` is called when printed text waits for the next redraw (which should come soon). */
  constructor(
    private readonly out: TerminalOut,
    private readonly dirty: () => void = () => this.flush(''),
  ) {}

  get width(): number {
    return Math.max(20, (this.out.columns || 80) - 1)
  }

  get maxLiveRows(): number {
    return Math.max(3, (this.out.rows || 24) - 1)
  }

  /** Prints finished text above the live area (it ends up in the scrollback), then redraws the area. */
  print(text: string): void {
    if (!text) return
    const body = text.endsWith('\n') ? text : `${text}\n`
    this.recent.push(...body.slice(0, -1).split(/\r?\n/))
    if (this.recent.length > RECENT_ROWS) this.recent.splice(0, this.recent.length - RECENT_ROWS)
    // Printed with the next redraw, together with the live area as it is then: one write, no
    // stale rows shown in between.
    this.pending += body.replace(/\r?\n/g, '\r\n')
    this.dirty()
  }

  /** Replaces the live area; `cursor` (row, column within it) is where the terminal cursor goes. */
  setLive(rows: string[], cursor?: { row: number; column: number }): void {
    this.live = rows
    this.cursor = cursor
    this.flush('')
  }

  /** Clears the live area for good (the program is leaving, or handing the terminal to a command). */
  clear(): void {
    this.live = []
    this.cursor = undefined
    this.flush('')
  }

  private flush(extra: string): void {
    const printed = this.pending + extra
    this.pending = ''
    let rows = this.live
    let cursor = this.cursor
    if (rows.length > this.maxLiveRows) {
      const cut = rows.length - this.maxLiveRows
      rows = rows.slice(cut)
      cursor = cursor ? { row: Math.max(0, cursor.row - cut), column: cursor.column } : undefined
    }
    let frame = SYNC_START
    const size = { columns: this.out.columns || 80, rows: this.out.rows || 24 }
    const resized =
      this.size !== undefined && (size.columns !== this.size.columns || size.rows !== this.size.rows)
    this.size = size
    if (resized) {
      frame += this.repaint(size.rows - rows.length)
    } else {
      // Back to the top of the old live area, and clear it and everything below.
      if (this.cursorRow > 0) frame += `\u001b[${this.cursorRow}A`
      frame += '\r\u001b[J'
      frame += printed
    }
    frame += rows.join('\r\n')
    const bottom = Math.max(0, rows.length - 1)
    let at = bottom
    if (cursor && rows.length > 0) {
      const up = bottom - cursor.row
      if (up > 0) frame += `\u001b[${up}A`
      frame += `\r${cursor.column > 0 ? `\u001b[${cursor.column}C` : ''}`
      at = cursor.row
      frame += '\u001b[?25h'
    } else if (rows.length > 0) {
      frame += '\u001b[?25l'
    } else {
      // Nothing live (the run is over, or a command has the terminal): the cursor is the shell's again.
      frame += '\u001b[?25h'
    }
    frame += SYNC_END
    this.height = rows.length
    this.cursorRow = rows.length === 0 ? 0 : at
    this.out.write(frame)
  }

  /**
   * After a resize the terminal has re-wrapped what was on the screen in its own way (each emulator
   * differently, and with the cursor somewhere else), so no relative move finds the old live area
   * again. Instead the screen is cleared and repainted from the top: the newest printed rows that
   * fit, re-wrapped at the new width, then the live area. What had scrolled off stays in the
   * scrollback as it was.
   */
  private repaint(room: number): string {
    const rows: string[] = []
    for (let i = this.recent.length - 1; i >= 0 && rows.length < room; i--) {
      const wrapped = wrapAnsi(this.recent[i] as string, this.width)
      rows.unshift(...wrapped.slice(Math.max(0, wrapped.length - (room - rows.length))))
    }
    return `\u001b[H\u001b[J${rows.map((row) => `${row}\r\n`).join('')}`
  }

  /** Rows the live area takes now. */
  get liveHeight(): number {
    return this.height
  }
}
