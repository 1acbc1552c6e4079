import { type AgentFlags, agentFlagsFrom, parseUrl, positiveInt } from '../args.js'
import { CliError, EXIT, usageError } from '../cli-error.js'
import { parseSubcommand } from '../flags.js'
import { printHelp } from './help-text.js'
import { GITHUB } from './spec/server.js'

/** What `penguin github run|review` was asked, checked. */
export interface GitHubRequest {
  repo: string
  number: number
  token: string
  apiUrl: string
  verify?: string
  attempts: number
  dir?: string
  commentId?: number
  /** review: post the agent's verdict as the review's event (APPROVE / REQUEST_CHANGES). */
  verdict: boolean
  flags: AgentFlags
}

/** `penguin github run|review`: GitHub issues to pull requests, and pull request reviews. */
export async function githubCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    return printHelp(['github'], sub === undefined ? EXIT.usage : EXIT.ok)
  }
  if (sub !== 'run' && sub !== 'review') {
    throw usageError(`Unknown command "penguin github ${sub}": use run or review (penguin github --help).`)
  }
  const { values: v, positionals } = parseSubcommand(rest, GITHUB, sub)
  // The agent's flags, as for `penguin run` (--token here is GitHub's, not a Penguin server's).
  const {
    repo: _repo,
    issue: _issue,
    pr: _pr,
    token: _token,
    'api-url': _apiUrl,
    verify: _verify,
    attempts: _attempts,
    dir: _dir,
    'comment-id': _commentId,
    verdict: _verdict,
    ...agentValues
  } = v
  if (v.help) {
    return printHelp(['github'])
  }
  if (positionals.length)
    throw usageError(`penguin github ${sub} takes no arguments (got "${positionals[0]}").`)
  const numberFlag = sub === 'run' ? 'issue' : 'pr'
  const other = sub === 'run' ? 'pr' : 'issue'
  if (v[other] !== undefined)
    throw usageError(`penguin github ${sub} takes --${numberFlag} N, not --${other}.`)
  if (!v.repo) throw usageError(`penguin github ${sub} needs --repo OWNER/NAME.`)
  const raw = v[numberFlag]
  if (raw === undefined) throw usageError(`penguin github ${sub} needs --${numberFlag} N.`)
  const number = positiveInt(`--${numberFlag}`, raw)
  // Read once, then gone from this process's environment: nothing started later (the agent's
  // commands, hooks, MCP servers, the verify command) can inherit it.
  const token = v.token ?? process.env.GITHUB_TOKEN
  delete process.env.GITHUB_TOKEN
  if (!token?.trim()) {
    throw usageError(`penguin github ${sub} needs a GitHub token: set GITHUB_TOKEN or pass --token.`)
  }
  const apiUrl = parseUrl(v['api-url'] ?? process.env.GITHUB_API_URL ?? 'https://api.github.com', '--api-url')
  if (
    sub === 'review' &&
    (v.verify !== undefined || v.attempts !== undefined || v['comment-id'] !== undefined)
  ) {
    throw usageError('--verify, --attempts and --comment-id are options of penguin github run.')
  }
  if (sub === 'run' && v.verdict) throw usageError('--verdict is an option of penguin github review.')
  const request: GitHubRequest = {
    repo: v.repo,
    number,
    token: token.trim(),
    apiUrl,
    attempts: v.attempts === undefined ? 3 : positiveInt('--attempts', v.attempts),
    verdict: v.verdict === true,
    flags: agentFlagsFrom(agentValues, `github ${sub}`),
    ...(v.verify !== undefined ? { verify: nonEmpty('--verify', v.verify) } : {}),
    ...(v.dir !== undefined ? { dir: nonEmpty('--dir', v.dir) } : {}),
    ...(v['comment-id'] !== undefined ? { commentId: positiveInt('--comment-id', v['comment-id']) } : {}),
  }
  try {
    if (sub === 'run') return await (await import('../github/run.js')).githubRun(request)
    return await (await import('../github/review.js')).githubReview(request)
  } catch (error) {
    // A GitHub or git failure is exit 3, said in one line (never with the token: see GitHubError).
    const { GitHubError } = await import('@penguin-ai/github')
    if (error instanceof GitHubError) throw new CliError(error.message, EXIT_GITHUB)
    throw error
  }
}

/** GitHub or git failed (token, permissions, clone, push). */
export const EXIT_GITHUB = 3

function _oneOf<const T extends readonly string[]>(flag: string, raw: string, values: T): T[number] {
  const value = raw.trim().toLowerCase()
  if (!values.includes(value)) throw usageError(`${flag} must be one of ${values.join(', ')} (got "${raw}").`)
  return value as T[number]
}

function nonEmpty(flag: string, raw: string): string {
  if (!raw.trim()) throw usageError(`${flag} needs a value.`)
  return raw
}
