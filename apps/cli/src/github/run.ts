import {
  connectGitHub,
  type GitHub,
  type IssueInfo,
  parseRepoRef,
  type RepoRef,
  repoName,
} from '@penguin-ai/github'
import { EXIT, usageError } from '../cli-error.js'
import type { GitHubRequest } from '../commands/github.js'
import { onInterrupt } from '../interrupt.js'
import { type GitHubAgent, openGitHubAgent } from './agent.js'
import { type Checkout, openCheckout, switchToBranch } from './checkout.js'
import {
  commitMessage,
  type Discussion,
  failureComment,
  issueTask,
  progressText,
  pullBody,
  pullTitle,
  successComment,
  verifyFailedPrompt,
} from './text.js'
import { runVerify, type VerifyOutcome, verifyCommand } from './verify.js'

/**
 * Where the run tells the issue how it goes: with `--comment-id` (the webhook's comment) every
 * stage edits that one comment; without it, one comment is posted at the end.
 */
class Report {
  constructor(
    private readonly github: GitHub,
    private readonly repo: RepoRef,
    private readonly issue: number,
    private readonly commentId?: number,
  ) {}

  async stage(stage: string, detail?: string): Promise<void> {
    process.stderr.write(`penguin: ${stage}\n`)
    if (this.commentId === undefined) return
    // Progress is best effort: a failed edit must not stop the work.
    await this.github.editComment(this.repo, this.commentId, progressText(stage, detail)).catch((error) => {
      process.stderr.write(`penguin: could not update the progress comment: ${(error as Error).message}\n`)
    })
  }

  async final(body: string): Promise<void> {
    if (this.commentId !== undefined) await this.github.editComment(this.repo, this.commentId, body)
    else await this.github.comment(this.repo, this.issue, body)
  }
}

/** Why the agent could not finish: the issue is told, the branch kept, exit 1 (or 130). */
class NotDone extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    readonly verify?: VerifyOutcome & { command: string },
  ) {
    super(message)
  }
}

/** `penguin github run --repo OWNER/NAME --issue N`. */
export async function githubRun(request: GitHubRequest): Promise<number> {
  const ref = parseRepoRef(request.repo)
  if (!ref) throw usageError(`--repo must be OWNER/NAME (got "${request.repo}").`)
  const github = connectGitHub({ token: request.token, apiUrl: request.apiUrl })
  const report = new Report(github, ref, request.number, request.commentId)
  const stage = { agentStarted: false, branch: `penguin/issue-${request.number}` }
  try {
    return await runOnIssue(request, ref, github, report, stage)
  } catch (error) {
    // Whatever stopped it (a configuration error, GitHub or git failing): the issue hears it when
    // someone there is waiting on the progress comment, or once the agent's work was under way.
    if (request.commentId !== undefined || stage.agentStarted) {
      const reason = error instanceof Error ? error.message : String(error)
      await report
        .final(failureComment(reason, stage.agentStarted ? stage.branch : '', false))
        .catch(() => process.stderr.write('penguin: could not report the failure on the issue\n'))
    }
    throw error
  }
}

async function runOnIssue(
  request: GitHubRequest,
  ref: RepoRef,
  github: GitHub,
  report: Report,
  stage: { agentStarted: boolean; branch: string },
): Promise<number> {
  const repo = await github.repository(ref)
  const issue = await github.issue(ref, request.number)
  // The progress comment is ours, not discussion. A pull request's line comments are (a
  // `/penguin` on a line of its diff among them).
  const discussed: Discussion = {
    comments: (await github.comments(ref, issue.number)).filter(
      (comment) => comment.id !== request.commentId,
    ),
    ...(issue.isPull ? { lineComments: await github.reviewComments(ref, issue.number) } : {}),
  }
  await report.stage('preparing the checkout')
  // A pull request: work on its branch and push there. An issue: penguin/issue-N from the default branch.
  const pull = issue.isPull ? await github.pull(ref, issue.number) : undefined
  const branch = pull ? pull.head.ref : `penguin/issue-${issue.number}`
  stage.branch = branch
  const base = pull ? pull.base.ref : repo.defaultBranch
  const checkout = await openCheckout(repo, ref, request.token, {
    ...(request.dir ? { dir: request.dir } : {}),
  })
  process.stderr.write(`penguin: working in ${checkout.dir} on branch ${branch}\n`)
  await switchToBranch(checkout, repo.cloneUrl, branch, base)

  const agent = await openGitHubAgent(request.flags, checkout.dir, [request.token])
  const controller = new AbortController()
  const interrupt = onInterrupt(
    () => controller.abort(),
    (text) => process.stderr.write(text),
  )
  try {
    const verify = await verifyCommand(request.verify, agent.setup.resolved.config.testCommand, checkout.dir)
    if (!verify) {
      throw usageError(
        'no verify command: pass --verify CMD, set "testCommand" in the config, or add a test script to package.json.',
      )
    }
    stage.agentStarted = true
    let outcome: { summary: string; verify: VerifyOutcome }
    try {
      outcome = await work(agent, request, issue, discussed, verify, report, controller.signal, checkout)
    } catch (error) {
      if (!(error instanceof NotDone)) throw error
      const pushed = await keepWork(checkout, repo.cloneUrl, branch, issue, error.message)
      await report.final(failureComment(error.message, branch, pushed, error.verify))
      process.stderr.write(`penguin: not done: ${error.message}\n`)
      return error.exitCode
    }
    await report.stage('pushing the branch')
    await checkout.git.commitAll(commitMessage(issue, outcome.summary))
    await checkout.git.push(repo.cloneUrl, branch)
    const body = pullBody(
      issue,
      outcome.summary,
      { command: verify, output: outcome.verify.output },
      agent.sessionId,
    )
    let opened: { number: number; htmlUrl: string }
    let updated = false
    if (pull) {
      opened = pull
      updated = true
    } else {
      const existing = await github.openPullFor(ref, branch)
      if (existing) {
        await github.updatePull(ref, existing.number, { body })
        opened = existing
        updated = true
      } else {
        opened = await github.createPull(ref, { title: pullTitle(issue), head: branch, base, body })
      }
    }
    await report.final(successComment(opened, updated))
    process.stdout.write(`${opened.htmlUrl}\n`)
    return EXIT.ok
  } finally {
    interrupt.dispose()
    await agent.close()
  }
}

/** Agent rounds until the verify command passes, or NotDone. */
async function work(
  agent: GitHubAgent,
  request: GitHubRequest,
  issue: IssueInfo,
  discussed: Discussion,
  verify: string,
  report: Report,
  signal: AbortSignal,
  checkout: Checkout,
): Promise<{ summary: string; verify: VerifyOutcome }> {
  let prompt = issueTask(repoName(parseRepoRef(request.repo)!), issue, discussed, { verify })
  let last: VerifyOutcome | undefined
  for (let round = 1; round <= request.attempts; round++) {
    await report.stage(`the agent is working (round ${round} of ${request.attempts})`)
    const result = await agent.run(prompt, signal)
    if (result.status === 'aborted') throw new NotDone('the run was interrupted', EXIT.interrupted)
    if (result.status !== 'completed') {
      throw new NotDone(
        `the agent run ended ${result.status}${result.error ? `: ${result.error.message}` : ''}`,
      )
    }
    if (!(await changed(checkout)) && agent.denials.blocked) {
      throw new NotDone(
        `every change the agent tried was denied (${agent.denials.describe()}); run with --yes`,
      )
    }
    await report.stage(`running \`${verify}\``)
    last = await runVerify(verify, checkout.dir, {
      ...(agent.setup.sandbox.instance ? { sandbox: agent.setup.sandbox.instance } : {}),
      allow: agent.setup.commandEnv.allow,
      signal,
    })
    if (signal.aborted) throw new NotDone('the run was interrupted', EXIT.interrupted)
    if (last.passed) {
      if (!(await changed(checkout)))
        throw new NotDone('the agent made no change (the verify command already passes)')
      return { summary: result.text, verify: last }
    }
    prompt = verifyFailedPrompt(verify, last.exitCode, last.output)
  }
  throw new NotDone(
    `\`${verify}\` still fails after ${request.attempts} round${request.attempts === 1 ? '' : 's'}`,
    EXIT.failed,
    { ...last!, command: verify },
  )
}

/** Whether the work tree differs from the branch's last commit (untracked files included). */
async function changed(checkout: Checkout): Promise<boolean> {
  return (await checkout.git.run(['status', '--porcelain'])).trim().length > 0
}

/**
 * After a failure: commits what the agent did (if anything) and pushes the branch, so the work can
 * be picked up; returns whether the remote has it. Failures here are reported, not thrown.
 */
async function keepWork(
  checkout: Checkout,
  url: string,
  branch: string,
  issue: IssueInfo,
  reason: string,
): Promise<boolean> {
  try {
    const committed = await checkout.git.commitAll(
      `WIP: ${issue.title.slice(0, 60)} (#${issue.number})\n\nPenguin could not finish: ${reason}\n\nRefs #${issue.number}`,
    )
    if (!committed) {
      const ahead = await checkout.git.run(['rev-list', '--count', 'refs/penguin/base..HEAD'])
      if (ahead.trim() === '0') return false
    }
    await checkout.git.push(url, branch)
    return true
  } catch (error) {
    process.stderr.write(`penguin: could not push the branch: ${(error as Error).message}\n`)
    return false
  }
}
