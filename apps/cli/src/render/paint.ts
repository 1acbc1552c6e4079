/** Terminal colours, or none: every renderer takes a `Painter` so output is the same text either way. */
export interface Painter {
  readonly color: boolean
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  cyan(text: string): string
  dim(text: string): string
  bold(text: string): string
  /** Reverse video: marks spelled-out control characters so they cannot pass for typed text. */
  inverse(text: string): string
}

export function painter(color: boolean): Painter {
  const wrap = (open: number, close: number) => (text: string) =>
    color && text ? `\u001b[${open}m${text}\u001b[${close}m` : text
  return {
    color,
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
    inverse: wrap(7, 27),
  }
}

export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb'
}
