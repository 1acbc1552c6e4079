/**
 * The cheap, always-on layer of context management: huge tool outputs are cut before they are
 * stored in the conversation. Keeping requests inside the window is compaction's job
 * (`compaction/`), with the model's own token counter.
 */

/** Hard cap on one tool result as stored in the conversation (tools cap themselves more tightly). */
export const MAX_TOOL_RESULT_CHARS = 60_000

/** A deliberately pessimistic estimate (about 3.5 characters per token), for callers without a counter. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5)
}

export function capToolResult(output: string, max = MAX_TOOL_RESULT_CHARS): string {
  if (output.length <= max) return output
  const keep = Math.floor((max - 120) / 2)
  const omitted = output.length - keep * 2
  return `${output.slice(0, keep)}\n… [${omitted} characters omitted] …\n${output.slice(-keep)}`
}
