/**
 * Small pure formatters shared by the human renderers: the same ones `penguin bench`'s reports use,
 * kept in one place (`@penguin-ai/bench/format`, which has no dependencies).
 */
export { formatCost, formatDuration, formatTokens } from '@penguin-ai/bench/format'
