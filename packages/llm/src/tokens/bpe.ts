/**
 * A byte-pair encoder over tiktoken's rank tables, for counting. js-tiktoken's own class keys its
 * 200k ranks by strings like `"104,101,108"` and keeps a decode table of 200k Uint8Arrays besides:
 * loading o200k_base took a process from 47 to 214 MB of resident memory, which a long-lived
 * server then keeps. Here a rank is keyed by its bytes as a latin1 string (one character per
 * byte), nothing else is built, and loading peaks around 50 MB. The encoding is the same
 * (same pre-tokenising pattern, same merge order), so the ids are the same; special tokens
 * are encoded as the ordinary text they are, since a count never has to refuse them.
 */
export interface RankTable {
  pat_str: string
  special_tokens: Record<string, number>
  /** Lines of `<first token> <offset> <base64 token> <base64 token> …`, ranks counting up from offset. */
  bpe_ranks: string
}

export class BytePairEncoder {
  private readonly ranks = new Map<string, number>()
  private readonly pattern: RegExp

  constructor(table: RankTable) {
    this.pattern = new RegExp(table.pat_str, 'gu')
    let start = 0
    const text = table.bpe_ranks
    while (start < text.length) {
      let end = text.indexOf('\n', start)
      if (end === -1) end = text.length
      if (end > start) this.addLine(text.slice(start, end))
      start = end + 1
    }
  }

  /** The token ids of `text`. */
  encode(text: string): number[] {
    const ids: number[] = []
    for (const match of text.matchAll(this.pattern)) {
      const piece = Buffer.from(match[0], 'utf8').toString('latin1')
      const whole = this.ranks.get(piece)
      if (whole !== undefined) ids.push(whole)
      else this.merge(piece, ids)
    }
    return ids
  }

  private addLine(line: string): void {
    const parts = line.split(' ')
    const offset = Number.parseInt(parts[1] ?? '', 10)
    for (let i = 2; i < parts.length; i++)
      this.ranks.set(Buffer.from(parts[i]!, 'base64').toString('latin1'), offset + i - 2)
  }

  /** Merges the adjacent pair of lowest rank until none is left, as tiktoken does; pushes the ids. */
  private merge(piece: string, ids: number[]): void {
    const bounds = Array.from({ length: piece.length + 1 }, (_, i) => i)
    while (bounds.length > 2) {
      let best = Number.POSITIVE_INFINITY
      let at = -1
      for (let i = 0; i < bounds.length - 2; i++) {
        const rank = this.ranks.get(piece.slice(bounds[i], bounds[i + 2]))
        if (rank !== undefined && rank < best) {
          best = rank
          at = i
        }
      }
      if (at === -1) break
      bounds.splice(at + 1, 1)
    }
    for (let i = 0; i < bounds.length - 1; i++) {
      const rank = this.ranks.get(piece.slice(bounds[i], bounds[i + 1]))
      if (rank !== undefined) ids.push(rank)
    }
  }
}
