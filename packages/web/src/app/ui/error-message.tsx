import { PenguinApiError } from '@penguin-ai/sdk'

interface Issue {
  path: string
  message: string
}

/** What went wrong, in words: the server's message, and the field problems of a 400. */
export function describeError(error: unknown): { message: string; issues: Issue[] } {
  if (error instanceof PenguinApiError) {
    const details = error.details as { issues?: unknown } | undefined
    const issues = Array.isArray(details?.issues)
      ? details.issues.filter((issue): issue is Issue => typeof issue?.message === 'string')
      : []
    return { message: error.message, issues }
  }
  return { message: error instanceof Error ? error.message : String(error), issues: [] }
}

export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null
  const { message, issues } = describeError(error)
  return (
    <div className="error" role="alert">
      {title && <strong>{title}: </strong>}
      {message}
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path ? <code>{issue.path}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
