import { commentableLines, diffHunk, pullFiles } from './diff.js'
import { git } from './git.js'
import { ApiError, missingField, notFound, page, type Reply, validationFailed } from './responses.js'
import type { Comment, FakeRepo, Issue, Review, ReviewComment } from './state.js'

export interface RouteContext {
  method: string
  url: URL
  body: Record<string, unknown> | undefined
  /** The login of the token's owner. */
  user: string
  repo(owner: string, name: string): FakeRepo
  reviewId(): number
}

type Handler = (ctx: RouteContext, params: string[]) => Promise<Reply> | Reply

const ROUTES: Array<[string, RegExp, Handler]> = []
function route(method: string, pattern: string, handler: Handler): void {
  const source = pattern.replace(/\{[a-z_]+\}/g, '([^/]+)')
  ROUTES.push([method, new RegExp(`^${source}$`), handler])
}

export async function dispatch(ctx: RouteContext): Promise<Reply> {
  for (const [method, pattern, handler] of ROUTES) {
    const match = pattern.exec(ctx.url.pathname)
    if (match && method === ctx.method) return handler(ctx, match.slice(1).map(decodeURIComponent))
  }
  throw notFound()
}

const ok = (body: unknown, status = 200): Reply => ({ status, body })
const web = (repo: FakeRepo, path: string) => `https://github.com/${repo.fullName}/${path}`
const api = (ctx: RouteContext, path: string) => new URL(path, ctx.url).href

function issueNumber(raw: string): number {
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < 1) throw notFound()
  return value
}

function findIssue(repo: FakeRepo, raw: string): Issue {
  const issue = repo.issues.get(issueNumber(raw))
  if (!issue) throw notFound()
  return issue
}

function findPull(repo: FakeRepo, raw: string): Issue & { pull: NonNullable<Issue['pull']> } {
  const issue = findIssue(repo, raw)
  if (!issue.pull) throw notFound()
  return issue as Issue & { pull: NonNullable<Issue['pull']> }
}

function text(ctx: RouteContext, field: string, resource: string, required = true): string | undefined {
  const value = ctx.body?.[field]
  if (value === undefined || value === null) {
    if (required) throw missingField(resource, field)
    return undefined
  }
  if (typeof value !== 'string') {
    throw new ApiError(422, `Invalid request.\n\nFor '${field}', ${JSON.stringify(value)} is not a string.`)
  }
  return value
}

const userJson = (login: string) => ({ login, id: login.length, type: 'User' })

function issueJson(ctx: RouteContext, repo: FakeRepo, issue: Issue): unknown {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    user: userJson(issue.user),
    comments: repo.commentsOn(issue.number).length,
    labels: [],
    html_url: web(repo, `${issue.pull ? 'pull' : 'issues'}/${issue.number}`),
    url: api(ctx, `/repos/${repo.fullName}/issues/${issue.number}`),
    ...(issue.pull
      ? { pull_request: { url: api(ctx, `/repos/${repo.fullName}/pulls/${issue.number}`) } }
      : {}),
  }
}

function commentJson(ctx: RouteContext, repo: FakeRepo, comment: Comment): unknown {
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    body: comment.body,
    user: userJson(comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: web(repo, `issues/${comment.issue}#issuecomment-${comment.id}`),
    issue_url: api(ctx, `/repos/${repo.fullName}/issues/${comment.issue}`),
    url: api(ctx, `/repos/${repo.fullName}/issues/comments/${comment.id}`),
    author_association: repo.collaborators.has(comment.user) ? 'COLLABORATOR' : 'NONE',
  }
}

async function sha(repo: FakeRepo, branch: string): Promise<string | undefined> {
  try {
    return (await git(repo.remote.path, ['rev-parse', '--verify', `refs/heads/${branch}^{commit}`])).trim()
  } catch {
    return undefined
  }
}

async function pullJson(ctx: RouteContext, repo: FakeRepo, issue: Issue): Promise<unknown> {
  const pull = issue.pull!
  return {
    number: issue.number,
    state: issue.state,
    title: issue.title,
    body: issue.body,
    draft: pull.draft,
    merged: false,
    user: userJson(issue.user),
    html_url: web(repo, `pull/${issue.number}`),
    url: api(ctx, `/repos/${repo.fullName}/pulls/${issue.number}`),
    head: {
      ref: pull.head,
      sha: (await sha(repo, pull.head)) ?? pull.headSha,
      label: `${repo.owner}:${pull.head}`,
    },
    base: { ref: pull.base, sha: await sha(repo, pull.base), label: `${repo.owner}:${pull.base}` },
  }
}

route('GET', '/repos/{owner}/{repo}', (ctx, [owner, name]) => {
  const repo = ctx.repo(owner!, name!)
  return ok({
    id: 1,
    name: repo.name,
    full_name: repo.fullName,
    owner: userJson(repo.owner),
    private: false,
    default_branch: repo.remote.defaultBranch,
    html_url: `https://github.com/${repo.fullName}`,
    clone_url: repo.remote.url,
    permissions: { admin: false, push: true, pull: true },
  })
})

route('GET', '/repos/{owner}/{repo}/issues/{number}', (ctx, [owner, name, number]) => {
  const repo = ctx.repo(owner!, name!)
  return ok(issueJson(ctx, repo, findIssue(repo, number!)))
})

route('GET', '/repos/{owner}/{repo}/issues/{number}/comments', (ctx, [owner, name, number]) => {
  const repo = ctx.repo(owner!, name!)
  const issue = findIssue(repo, number!)
  return page(
    repo.commentsOn(issue.number).map((comment) => commentJson(ctx, repo, comment)),
    ctx.url,
  )
})

route('POST', '/repos/{owner}/{repo}/issues/{number}/comments', (ctx, [owner, name, number]) => {
  const repo = ctx.repo(owner!, name!)
  const issue = findIssue(repo, number!)
  const body = text(ctx, 'body', 'IssueComment')!
  return ok(commentJson(ctx, repo, repo.addComment(issue.number, { body, user: ctx.user })), 201)
})

function findComment(repo: FakeRepo, raw: string): Comment {
  const comment = repo.comments.find((candidate) => candidate.id === Number(raw))
  if (!comment) throw notFound()
  return comment
}

route('GET', '/repos/{owner}/{repo}/issues/comments/{id}', (ctx, [owner, name, id]) => {
  const repo = ctx.repo(owner!, name!)
  return ok(commentJson(ctx, repo, findComment(repo, id!)))
})

route('PATCH', '/repos/{owner}/{repo}/issues/comments/{id}', (ctx, [owner, name, id]) => {
  const repo = ctx.repo(owner!, name!)
  const comment = findComment(repo, id!)
  if (comment.user !== ctx.user) throw new ApiError(403, 'Must have admin rights to Repository.')
  comment.body = text(ctx, 'body', 'IssueComment')!
  comment.history.push(comment.body)
  comment.updatedAt = new Date().toISOString()
  return ok(commentJson(ctx, repo, comment))
})

route('GET', '/repos/{owner}/{repo}/collaborators/{user}/permission', (ctx, [owner, name, user]) => {
  const repo = ctx.repo(owner!, name!)
  const permission = repo.collaborators.get(user!)
  // GitHub answers 404 for a user that does not exist; a stranger is "read" on a public repository.
  const legacy =
    permission === 'maintain' ? 'write' : permission === 'triage' ? 'read' : (permission ?? 'read')
  return ok({ permission: legacy, role_name: permission ?? 'read', user: userJson(user!) })
})

route('POST', '/repos/{owner}/{repo}/pulls', async (ctx, [owner, name]) => {
  const repo = ctx.repo(owner!, name!)
  const title = text(ctx, 'title', 'PullRequest')!
  const rawHead = text(ctx, 'head', 'PullRequest')!
  const base = text(ctx, 'base', 'PullRequest')!
  const body = text(ctx, 'body', 'PullRequest', false) ?? null
  const head = rawHead.includes(':') ? rawHead.slice(rawHead.indexOf(':') + 1) : rawHead
  if (rawHead.includes(':') && rawHead.slice(0, rawHead.indexOf(':')) !== repo.owner) {
    throw validationFailed({ resource: 'PullRequest', field: 'head', code: 'invalid' })
  }
  const headSha = await sha(repo, head)
  if (!headSha) throw validationFailed({ resource: 'PullRequest', field: 'head', code: 'invalid' })
  if (!(await sha(repo, base)))
    throw validationFailed({ resource: 'PullRequest', field: 'base', code: 'invalid' })
  if (repo.pulls().some((pull) => pull.state === 'open' && pull.pull!.head === head)) {
    throw validationFailed({
      resource: 'PullRequest',
      code: 'custom',
      message: `A pull request already exists for ${repo.owner}:${head}.`,
    })
  }
  const ahead = (
    await git(repo.remote.path, ['rev-list', '--count', `refs/heads/${base}..refs/heads/${head}`])
  ).trim()
  if (ahead === '0') {
    throw validationFailed({
      resource: 'PullRequest',
      code: 'custom',
      message: `No commits between ${base} and ${head}`,
    })
  }
  const issue = repo.addPull({ title, body, user: ctx.user, head, base })
  issue.pull!.draft = ctx.body?.draft === true
  return ok(await pullJson(ctx, repo, issue), 201)
})

route('GET', '/repos/{owner}/{repo}/pulls', async (ctx, [owner, name]) => {
  const repo = ctx.repo(owner!, name!)
  const state = ctx.url.searchParams.get('state') ?? 'open'
  const head = ctx.url.searchParams.get('head')
  const base = ctx.url.searchParams.get('base')
  const pulls = repo.pulls().filter((issue) => {
    if (state !== 'all' && issue.state !== state) return false
    if (head && `${repo.owner}:${issue.pull!.head}` !== head) return false
    if (base && issue.pull!.base !== base) return false
    return true
  })
  return page(await Promise.all(pulls.map((issue) => pullJson(ctx, repo, issue))), ctx.url)
})

route('GET', '/repos/{owner}/{repo}/pulls/{number}', async (ctx, [owner, name, number]) => {
  const repo = ctx.repo(owner!, name!)
  return ok(await pullJson(ctx, repo, findPull(repo, number!)))
})

async function filesOf(repo: FakeRepo, issue: Issue) {
  return pullFiles(await repo.remote.diff(issue.pull!.base, issue.pull!.head))
}

route('GET', '/repos/{owner}/{repo}/pulls/{number}/files', async (ctx, [owner, name, number]) => {
  const repo = ctx.repo(owner!, name!)
  return page(await filesOf(repo, findPull(repo, number!)), ctx.url)
})

route('GET', '/repos/{owner}/{repo}/pulls/{number}/reviews', (ctx, [owner, name, number]) => {
  const repo = ctx.repo(owner!, name!)
  const issue = findPull(repo, number!)
  return page(
    repo.reviews
      .filter((review) => review.pull === issue.number)
      .map((review) => ({
        id: review.id,
        body: review.body,
        state: reviewState(review),
        user: userJson(review.user),
      })),
    ctx.url,
  )
})

route('GET', '/repos/{owner}/{repo}/pulls/{number}/comments', async (ctx, [owner, name, number]) => {
  const repo = ctx.repo(owner!, name!)
  const issue = findPull(repo, number!)
  const files = await filesOf(repo, issue)
  const headSha = (await sha(repo, issue.pull.head)) ?? ''
  return page(
    repo.reviewCommentsOn(issue.number).map((comment) => ({
      id: comment.id,
      node_id: `PRRC_${comment.id}`,
      pull_request_review_id: comment.reviewId,
      path: comment.path,
      line: comment.line,
      original_line: comment.line,
      side: comment.side,
      ...(comment.startLine !== undefined ? { start_line: comment.startLine, start_side: comment.side } : {}),
      diff_hunk: diffHunk(
        files.find((file) => file.filename === comment.path)?.patch,
        comment.side,
        comment.line,
      ),
      body: comment.body,
      user: userJson(comment.user),
      commit_id: headSha,
      created_at: comment.createdAt,
      updated_at: comment.createdAt,
      html_url: web(repo, `pull/${issue.number}#discussion_r${comment.id}`),
      pull_request_url: api(ctx, `/repos/${repo.fullName}/pulls/${issue.number}`),
      author_association: repo.collaborators.has(comment.user) ? 'COLLABORATOR' : 'NONE',
    })),
    ctx.url,
  )
})

function reviewState(review: Review): string {
  return review.event === 'APPROVE'
    ? 'APPROVED'
    : review.event === 'REQUEST_CHANGES'
      ? 'CHANGES_REQUESTED'
      : 'COMMENTED'
}

route('POST', '/repos/{owner}/{repo}/pulls/{number}/reviews', async (ctx, [owner, name, number]) => {
  const repo = ctx.repo(owner!, name!)
  const issue = findPull(repo, number!)
  const event = text(ctx, 'event', 'PullRequestReview', false) ?? 'COMMENT'
  if (!['APPROVE', 'REQUEST_CHANGES', 'COMMENT'].includes(event)) {
    throw new ApiError(
      422,
      `Invalid request.\n\n${JSON.stringify(event)} is not a member of ["APPROVE", "REQUEST_CHANGES", "COMMENT"].`,
    )
  }
  const body = text(ctx, 'body', 'PullRequestReview', false) ?? ''
  if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && !body && !Array.isArray(ctx.body?.comments)) {
    throw new ApiError(422, 'Unprocessable Entity', [
      `Review Can not request changes or comment without a body`,
    ])
  }
  if (issue.user === ctx.user && event !== 'COMMENT') {
    throw new ApiError(422, 'Unprocessable Entity', [
      `Review Can not ${event === 'APPROVE' ? 'approve' : 'request changes on'} your own pull request`,
    ])
  }
  const files = await filesOf(repo, issue)
  const comments: ReviewComment[] = []
  for (const raw of (ctx.body?.comments as unknown[] | undefined) ?? []) {
    const entry = raw as Record<string, unknown>
    const file = files.find((candidate) => candidate.filename === entry.path)
    if (!file) throw new ApiError(422, 'Unprocessable Entity', ['Path could not be resolved'])
    const side = entry.side === 'LEFT' ? 'LEFT' : 'RIGHT'
    const line = entry.line
    if (typeof line !== 'number' || typeof entry.body !== 'string') {
      throw new ApiError(422, 'Unprocessable Entity', ['Line could not be resolved'])
    }
    const lines = commentableLines(file.patch)[side]
    if (!lines.has(line)) {
      throw new ApiError(422, 'Unprocessable Entity', [
        'Pull request review thread line must be part of the diff',
      ])
    }
    if (
      entry.start_line !== undefined &&
      (typeof entry.start_line !== 'number' || !lines.has(entry.start_line) || entry.start_line >= line)
    ) {
      throw new ApiError(422, 'Unprocessable Entity', [
        'Pull request review thread start line must be part of the same hunk',
      ])
    }
    comments.push({
      id: ctx.reviewId(),
      path: file.filename,
      line,
      side,
      ...(typeof entry.start_line === 'number' ? { startLine: entry.start_line } : {}),
      body: entry.body,
    })
  }
  const review: Review = {
    id: ctx.reviewId(),
    pull: issue.number,
    user: ctx.user,
    body,
    event: event as Review['event'],
    commitId: (ctx.body?.commit_id as string | undefined) ?? (await sha(repo, issue.pull!.head)) ?? '',
    comments,
    createdAt: new Date().toISOString(),
  }
  repo.reviews.push(review)
  return ok(
    { id: review.id, body, state: reviewState(review), user: userJson(ctx.user), commit_id: review.commitId },
    200,
  )
})
