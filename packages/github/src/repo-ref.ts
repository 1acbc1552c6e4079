/** A repository named `OWNER/NAME`. */
export interface RepoRef {
  owner: string
  name: string
}

const PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})$/

/** `OWNER/NAME` → RepoRef, or undefined when it is not one (no URLs, no extra slashes). */
export function parseRepoRef(raw: string): RepoRef | undefined {
  const parts = raw.trim().split('/')
  if (parts.length !== 2) return undefined
  const [owner, name] = parts as [string, string]
  const bare = name.endsWith('.git') ? name.slice(0, -4) : name
  if (!PART.test(owner) || !PART.test(bare) || bare === '.' || bare === '..') return undefined
  return { owner, name: bare }
}

export const repoName = (repo: RepoRef): string => `${repo.owner}/${repo.name}`

/**
 * Whether a git remote URL points at this repository (https, ssh or scp-like forms; any host, as
 * GitHub Enterprise hosts differ). Case-insensitive like GitHub's names.
 */
export function remoteNamesRepo(url: string, repo: RepoRef): boolean {
  const match = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim())
  if (!match) return false
  return (
    match[1]!.toLowerCase() === repo.owner.toLowerCase() &&
    match[2]!.toLowerCase() === repo.name.toLowerCase()
  )
}
