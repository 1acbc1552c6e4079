/**
 * A failed GitHub request as a value the user can act on: the status, GitHub's own message and a
 * hint. Never carries the token (Octokit's request object is not kept).
 */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** GitHub's `errors` entries, flattened to text. */
    readonly details: string[] = [],
  ) {
    super(message)
    this.name = 'GitHubError'
  }
}

const HINTS: Record<number, string> = {
  401: 'the token is missing, wrong or expired (GITHUB_TOKEN or --token)',
  403: 'the token lacks a permission this needs (contents, issues and pull requests: write), or a rate limit was hit',
  404: 'check OWNER/NAME and the number, and that the token can see the repository',
}

/** Turns whatever Octokit threw into a GitHubError naming what was asked. */
export function toGitHubError(error: unknown, what: string): GitHubError {
  if (error instanceof GitHubError) return error
  const status =
    typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : 0
  const data = (error as { response?: { data?: unknown } })?.response?.data as
    | { message?: unknown; errors?: unknown[] }
    | undefined
  const details = (Array.isArray(data?.errors) ? data.errors : []).map((entry) =>
    typeof entry === 'string'
      ? entry
      : typeof (entry as { message?: unknown }).message === 'string'
        ? String((entry as { message: string }).message)
        : JSON.stringify(entry),
  )
  // Octokit reports a request that got no answer at all (connection refused, DNS, TLS) as status
  // 500 without a response: nothing answered, so say GitHub could not be reached, and why.
  const answered = (error as { response?: unknown })?.response !== undefined
  if (status === 0 || !answered) {
    return new GitHubError(0, `${what}: GitHub could not be reached (${unreachableReason(error)})`)
  }
  const said = typeof data?.message === 'string' ? data.message : 'no message'
  const hint = HINTS[status]
  return new GitHubError(
    status,
    `${what}: GitHub answered ${status} ${said}${details.length ? ` (${details.join('; ')})` : ''}${hint ? ` — ${hint}` : ''}`,
    details,
  )
}

/** Why nothing answered, e.g. "connect ECONNREFUSED 127.0.0.1:9" (not just undici's "fetch failed"). */
function unreachableReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const cause = error instanceof Error ? (error.cause as { message?: unknown } | undefined) : undefined
  const why = typeof cause?.message === 'string' ? cause.message : ''
  return message === 'fetch failed' && why && why !== message ? why : message
}
