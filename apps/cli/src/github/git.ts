import { execFile } from 'node:child_process'
import { GitHubError } from '@penguin-ai/github'

/** What git printed when it failed, trimmed for a one-line message. */
function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' / ')
}

/**
 * Git for the GitHub commands. The token reaches git as an HTTP header through GIT_CONFIG_*
 * variables of that one git process — never in a URL, an argument (visible in `ps`) or
 * .git/config — and only for the commands that talk to the remote. A header an earlier
 * actions/checkout left for the same host is reset first, so one Authorization header is sent.
 */
export class Git {
  constructor(
    readonly cwd: string,
    private readonly token: string,
  ) {}

  /** A local command; fails with a GitHubError-free Error (the caller knows the step). */
  run(args: string[], options: { remote?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
    }
    if (options.remote) Object.assign(env, authConfig(options.remote, this.token))
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        args,
        { cwd: this.cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout)
          reject(new GitFailure(`git ${args[0]} failed: ${lastLines(stderr || error.message)}`))
        },
      )
    })
  }

  /** `git clone` into `this.cwd` (which must not exist or be empty). */
  async clone(url: string): Promise<void> {
    await new Git(process.cwd(), this.token).run(['clone', '--quiet', '--no-tags', url, this.cwd], {
      remote: url,
    })
  }

  async fetch(url: string, refspecs: string[]): Promise<void> {
    await this.run(['fetch', '--quiet', '--no-tags', url, ...refspecs], { remote: url })
  }

  async push(url: string, branch: string): Promise<void> {
    await this.run(['push', '--quiet', url, `HEAD:refs/heads/${branch}`], { remote: url })
  }

  /** Whether the remote has `branch` (ls-remote; no fetch). */
  async remoteHas(url: string, branch: string): Promise<boolean> {
    const out = await this.run(['ls-remote', '--heads', url, `refs/heads/${branch}`], { remote: url })
    return out.trim().length > 0
  }

  async head(): Promise<string> {
    return (await this.run(['rev-parse', 'HEAD'])).trim()
  }

  /** Tracked changes (staged or not) in the work tree. */
  async dirty(): Promise<boolean> {
    return (await this.run(['status', '--porcelain', '--untracked-files=no'])).trim().length > 0
  }

  /** Stages everything and commits; false when there was nothing to commit. */
  async commitAll(message: string): Promise<boolean> {
    await this.run(['add', '-A'])
    const staged = await this.run(['diff', '--cached', '--name-only'])
    if (!staged.trim()) return false
    await this.run(['commit', '--quiet', '--no-verify', '-m', message], { env: await this.identity() })
    return true
  }

  /** Penguin's identity when the repository and user have none (a fresh CI runner). */
  private async identity(): Promise<NodeJS.ProcessEnv> {
    const email = await this.run(['config', 'user.email']).catch(() => '')
    if (email.trim()) return {}
    return {
      GIT_AUTHOR_NAME: 'penguin-ai[bot]',
      GIT_AUTHOR_EMAIL: 'penguin-ai[bot]@users.noreply.github.com',
      GIT_COMMITTER_NAME: 'penguin-ai[bot]',
      GIT_COMMITTER_EMAIL: 'penguin-ai[bot]@users.noreply.github.com',
    }
  }
}

/** A git step that failed: exit 3 like a GitHub API failure. */
export class GitFailure extends GitHubError {
  constructor(message: string) {
    super(0, message)
  }
}

/**
 * The token as an `http.<origin>/.extraHeader` for one git process (git ≥ 2.31 reads
 * GIT_CONFIG_COUNT). Keyed by the remote's origin like actions/checkout's own entry — git keeps
 * only the most specific match — and reset first (an empty value), so exactly one header is sent.
 */
function authConfig(url: string, token: string): NodeJS.ProcessEnv {
  let origin: string
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return {}
    origin = parsed.origin
  } catch {
    return {}
  }
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64')
  const key = `http.${origin}/.extraheader`
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: key,
    GIT_CONFIG_VALUE_0: '',
    GIT_CONFIG_KEY_1: key,
    GIT_CONFIG_VALUE_1: `Authorization: Basic ${basic}`,
  }
}
