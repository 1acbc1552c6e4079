/**
 * IdRanges: a checkpoint's conversation as inclusive ranges of one session's message ids. A range
 * covers a run of that session's messages (ids of other sessions' messages in between do not
 * break it), so an uninterrupted conversation is a single range however busy the database is.
 */
import type { IdRanges } from './session-types.js'

/** `messages` in ascending id order; the kept ones (`reverted: false`) grouped into runs. */
export function rangesOf(messages: readonly { id: number; reverted: boolean }[]): IdRanges {
  const ranges: IdRanges = []
  let open: [number, number] | undefined
  for (const message of messages) {
    if (message.reverted) {
      open = undefined
      continue
    }
    if (open) open[1] = message.id
    else {
      open = [message.id, message.id]
      ranges.push(open)
    }
  }
  return ranges
}
