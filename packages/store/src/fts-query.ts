/**
 * Turning what a user typed into a safe FTS5 query. Every word becomes a quoted term (so FTS5
 * syntax — AND, NEAR, *, :, ", ( — means nothing), and the terms are OR-joined so that a question
 * finds notes sharing only some of its words; bm25 ranks the notes sharing more, and rarer, higher.
 * Common English words are left out unless they are all the query has.
 */
import { ValidationError } from './errors.js'

const STOP_WORDS = new Set(
  `a an and are as at be but by can could did do does for from had has have how i if in into is it
  its me my no not of on or our should so than that the their them then there these they this to
  us was we were what when where which who why will with would you your`.split(/\s+/),
)

/** Words: runs of letters, digits and underscores (punctuation and FTS5 operators are dropped). */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []
  const unique = [...new Set(words)]
  const meaningful = unique.filter((word) => !STOP_WORDS.has(word))
  return meaningful.length > 0 ? meaningful : unique
}

export function ftsQuery(query: string): string {
  if (typeof query !== 'string')
    throw new ValidationError('query must be a string: say what to look for', 'query')
  const terms = queryTerms(query)
  if (terms.length === 0)
    throw new ValidationError('query has no words to search for: give at least one word', 'query')
  return terms.map((term) => `"${term}"`).join(' OR ')
}
