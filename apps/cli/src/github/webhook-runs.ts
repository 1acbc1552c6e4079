import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectGitHub } from '@penguin-ai/github'
import type { GitHubRunRequest, GitHubWebhookOptions } from '@penguin-ai/server'
import { trackProcessGroup } from '@penguin-ai/tools'
import { usageError } from '../cli-error.js'

export interface WebhookSettings {
  /** PENGUIN_GITHUB_WEBHOOK_SECRET, else config `github.webhookSecret`. */
  secret?: string
  /** GITHUB_TOKEN at startup (removed from this process's environment). */
  token?: string
  apiUrl: string
  /** `penguin serve`'s own settings the runs inherit. */
  model?: string
  baseUrl?: string
  db: string
  sandbox?: string
  network?: boolean
}

/**
 * `penguin serve`'s GitHub webhook: every run is `penguin github run --comment-id …` in a child
 * process (the same command as by hand, its own fresh clone, `--yes` since nobody is there to
 * answer — the sandbox still bounds it), with the token in that child's environment only.
 * Undefined when no secret is set (the route then answers 503).
 */
export function webhookOptions(settings: WebhookSettings): GitHubWebhookOptions | undefined {
  const { secret, token } = settings
  if (!secret) return undefined
  if (!token) {
    throw usageError(
      'a GitHub webhook secret is set but GITHUB_TOKEN is not: the webhook needs a token to check permissions, comment and push.',
    )
  }
  const log = (message: string) => process.stderr.write(`penguin: ${message}\n`)
  return {
    secret,
    github: connectGitHub({ token, apiUrl: settings.apiUrl }),
    log,
    start: (run) => startRun(run, settings, token, log),
  }
}

async function startRun(
  run: GitHubRunRequest,
  settings: WebhookSettings,
  token: string,
  log: (message: string) => void,
): Promise<void> {
  const where = `${run.repo.owner}/${run.repo.name}#${run.number}`
  const dir = await mkdtemp(join(tmpdir(), 'penguin-webhook-'))
  const args = [
    process.argv[1]!,
    'github',
    'run',
    '--repo',
    `${run.repo.owner}/${run.repo.name}`,
    '--issue',
    String(run.number),
    '--comment-id',
    String(run.commentId),
    '--api-url',
    settings.apiUrl,
    '--dir',
    join(dir, 'checkout'),
    '--db',
    settings.db,
    '--yes',
    ...(settings.model ? ['--model', settings.model] : []),
    ...(settings.baseUrl ? ['--base-url', settings.baseUrl] : []),
    ...(settings.sandbox ? ['--sandbox', settings.sandbox] : []),
    ...(settings.network ? ['--network'] : []),
  ]
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: dir,
        // The token for this child alone; the webhook secret is none of its business.
        env: { ...process.env, GITHUB_TOKEN: token, PENGUIN_GITHUB_WEBHOOK_SECRET: undefined },
        stdio: ['ignore', 'ignore', 'pipe'],
        // Its own process group, stopped with everything under it when the server exits.
        detached: true,
      })
      if (child.pid) trackProcessGroup(child.pid)
      let tail = ''
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        tail = (tail + chunk).slice(-4000)
      })
      child.on('error', reject)
      child.on('close', (exit) => {
        if (exit !== 0)
          log(`github: the run on ${where} exited ${exit}: ${tail.trim().split('\n').slice(-3).join(' / ')}`)
        resolve(exit)
      })
    })
    log(`github: the run on ${where} ended (exit ${code})`)
  } finally {
    // The branch lives on the remote (pushed); the clone was this run's alone.
    await rm(dir, { recursive: true, force: true })
  }
}
