import { formatCost, formatTokens } from '../ui/format.js'
import type { Totals } from './chat-types.js'

/** The session's running token and cost totals. */
export function UsageTotals({ totals }: { totals: Totals }) {
  return (
    <p className="usage">
      <span className="visually-hidden">Session usage: </span>
      <span title="input tokens">
        {formatTokens(totals.inputTokens)} <span className="muted">in</span>
      </span>
      {totals.cacheReadTokens > 0 && (
        <span title="input tokens served from the provider's prompt cache">
          {formatTokens(totals.cacheReadTokens)} <span className="muted">cached</span>
        </span>
      )}
      <span title="output tokens">
        {formatTokens(totals.outputTokens)} <span className="muted">out</span>
      </span>
      <span title="cost" data-testid="session-cost">
        {formatCost(totals.costUsd)}
      </span>
    </p>
  )
}
