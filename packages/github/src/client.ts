import { toGitHubError } from './errors.js'
import type { GitHubOctokit } from './octokit.js'
import type { RepoRef } from './repo-ref.js'

export const DEFAULT_API_URL = 'https://api.github.com'

export interface Repository {
  fullName: string
  defaultBranch: string
  cloneUrl: string
  htmlUrl: string
}

export interface IssueInfo {
  number: number
  title: string
  body: string
  author: string
  state: string
  isPull: boolean
  htmlUrl: string
}

export interface IssueComment {
  id: number
  body: string
  author: string
  createdAt: string
  htmlUrl: string
}

/** A line comment on a pull request's diff. */
export interface ReviewCommentInfo {
  id: number
  body: string
  author: string
  path: string
  /** The line it is on now; null once the code it was on has changed (outdated). */
  line: number | null
  side: 'LEFT' | 'RIGHT'
  /** The diff around it, down to its line, as GitHub shows it. */
  diffHunk: string
  createdAt: string
  htmlUrl: string
}

export interface PullInfo {
  number: number
  title: string
  body: string
  author: string
  htmlUrl: string
  head: { ref: string; sha: string }
  base: { ref: string; sha: string }
}

export interface PullFileInfo {
  filename: string
  status: string
  patch?: string
}

export interface ReviewCommentInput {
  path: string
  line: number
  side: 'LEFT' | 'RIGHT'
  startLine?: number
  body: string
}

export type ReviewEvent = 'COMMENT' | 'APPROVE' | 'REQUEST_CHANGES'

/** `admin`, `write`, `read` or `none` (GitHub's legacy permission field). */
export type RepoPermission = 'admin' | 'write' | 'read' | 'none'

/** The few GitHub operations Penguin uses, each failing with a GitHubError. */
export interface GitHub {
  readonly apiUrl: string
  repository(repo: RepoRef): Promise<Repository>
  issue(repo: RepoRef, number: number): Promise<IssueInfo>
  comments(repo: RepoRef, issue: number): Promise<IssueComment[]>
  comment(repo: RepoRef, issue: number, body: string): Promise<IssueComment>
  editComment(repo: RepoRef, id: number, body: string): Promise<void>
  pull(repo: RepoRef, number: number): Promise<PullInfo>
  /** The open pull request whose head is `branch` in the repository itself, if any. */
  openPullFor(repo: RepoRef, branch: string): Promise<PullInfo | undefined>
  createPull(
    repo: RepoRef,
    pull: { title: string; head: string; base: string; body: string },
  ): Promise<PullInfo>
  updatePull(repo: RepoRef, number: number, pull: { title?: string; body?: string }): Promise<void>
  pullFiles(repo: RepoRef, number: number): Promise<PullFileInfo[]>
  /** Every line comment on the pull request's diff, oldest first. */
  reviewComments(repo: RepoRef, number: number): Promise<ReviewCommentInfo[]>
  createReview(
    repo: RepoRef,
    number: number,
    review: { commitId: string; body: string; event: ReviewEvent; comments: ReviewCommentInput[] },
  ): Promise<{ id: number }>
  permission(repo: RepoRef, user: string): Promise<RepoPermission>
}

export interface GitHubOptions {
  token: string
  /** Default https://api.github.com (GitHub Enterprise: https://HOST/api/v3). */
  apiUrl?: string
  userAgent?: string
}

type Loaded = { octokit: GitHubOctokit }

/** A GitHub client; Octokit is imported on the first request. */
export function connectGitHub(options: GitHubOptions): GitHub {
  const apiUrl = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '')
  let loading: Promise<Loaded> | undefined
  const load = () => {
    loading ??= import('./octokit.js').then(({ createOctokit }) => ({
      octokit: createOctokit({ token: options.token, apiUrl, userAgent: options.userAgent ?? 'penguin-ai' }),
    }))
    return loading
  }
  async function call<T>(what: string, fn: (octokit: GitHubOctokit) => Promise<T>): Promise<T> {
    const { octokit } = await load()
    try {
      return await fn(octokit)
    } catch (error) {
      throw toGitHubError(error, what)
    }
  }
  const at = (repo: RepoRef) => ({ owner: repo.owner, repo: repo.name })
  const name = (repo: RepoRef) => `${repo.owner}/${repo.name}`
  const toPull = (data: {
    number: number
    title: string
    body?: string | null
    user?: { login: string } | null
    html_url: string
    head: { ref: string; sha: string }
    base: { ref: string; sha: string }
  }): PullInfo => ({
    number: data.number,
    title: data.title,
    body: data.body ?? '',
    author: data.user?.login ?? 'ghost',
    htmlUrl: data.html_url,
    head: { ref: data.head.ref, sha: data.head.sha },
    base: { ref: data.base.ref, sha: data.base.sha },
  })
  const toComment = (data: {
    id: number | bigint
    body?: string
    user?: { login: string } | null
    created_at: string
    html_url: string
  }): IssueComment => ({
    id: Number(data.id),
    body: data.body ?? '',
    author: data.user?.login ?? 'ghost',
    createdAt: data.created_at,
    htmlUrl: data.html_url,
  })

  return {
    apiUrl,
    repository: (repo) =>
      call(`reading ${name(repo)}`, async (octokit) => {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}', at(repo))
        return {
          fullName: data.full_name,
          defaultBranch: data.default_branch,
          cloneUrl: data.clone_url,
          htmlUrl: data.html_url,
        }
      }),
    issue: (repo, number) =>
      call(`reading issue #${number} of ${name(repo)}`, async (octokit) => {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
          ...at(repo),
          issue_number: number,
        })
        return {
          number: data.number,
          title: data.title,
          body: data.body ?? '',
          author: data.user?.login ?? 'ghost',
          state: data.state,
          isPull: Boolean(data.pull_request),
          htmlUrl: data.html_url,
        }
      }),
    comments: (repo, issue) =>
      call(`reading the comments of #${issue} in ${name(repo)}`, async (octokit) => {
        const all = await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          ...at(repo),
          issue_number: issue,
          per_page: 100,
        })
        return all.map(toComment)
      }),
    comment: (repo, issue, body) =>
      call(`commenting on #${issue} in ${name(repo)}`, async (octokit) => {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          ...at(repo),
          issue_number: issue,
          body,
        })
        return toComment(data)
      }),
    editComment: (repo, id, body) =>
      call(`editing comment ${id} in ${name(repo)}`, async (octokit) => {
        await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          ...at(repo),
          comment_id: id,
          body,
        })
      }),
    pull: (repo, number) =>
      call(`reading pull request #${number} of ${name(repo)}`, async (octokit) => {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
          ...at(repo),
          pull_number: number,
        })
        return toPull(data)
      }),
    openPullFor: (repo, branch) =>
      call(`looking for an open pull request from ${branch} in ${name(repo)}`, async (octokit) => {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls', {
          ...at(repo),
          state: 'open',
          head: `${repo.owner}:${branch}`,
          per_page: 1,
        })
        return data[0] ? toPull(data[0]) : undefined
      }),
    createPull: (repo, pull) =>
      call(`opening a pull request in ${name(repo)}`, async (octokit) => {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/pulls', { ...at(repo), ...pull })
        return toPull(data)
      }),
    updatePull: (repo, number, pull) =>
      call(`updating pull request #${number} of ${name(repo)}`, async (octokit) => {
        await octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
          ...at(repo),
          pull_number: number,
          ...pull,
        })
      }),
    pullFiles: (repo, number) =>
      call(`reading the files of pull request #${number} of ${name(repo)}`, async (octokit) => {
        const files = await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
          ...at(repo),
          pull_number: number,
          per_page: 100,
        })
        return files.map((file) => ({
          filename: file.filename,
          status: file.status,
          ...(file.patch !== undefined ? { patch: file.patch } : {}),
        }))
      }),
    reviewComments: (repo, number) =>
      call(`reading the review comments of pull request #${number} of ${name(repo)}`, async (octokit) => {
        const all = await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', {
          ...at(repo),
          pull_number: number,
          per_page: 100,
        })
        return all.map((comment) => ({
          id: Number(comment.id),
          body: comment.body ?? '',
          author: comment.user?.login ?? 'ghost',
          path: comment.path,
          line: comment.line ?? null,
          side: comment.side === 'LEFT' ? ('LEFT' as const) : ('RIGHT' as const),
          diffHunk: comment.diff_hunk ?? '',
          createdAt: comment.created_at,
          htmlUrl: comment.html_url,
        }))
      }),
    createReview: (repo, number, review) =>
      call(`posting a review on pull request #${number} of ${name(repo)}`, async (octokit) => {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
          ...at(repo),
          pull_number: number,
          commit_id: review.commitId,
          body: review.body,
          event: review.event,
          comments: review.comments.map((comment) => ({
            path: comment.path,
            line: comment.line,
            side: comment.side,
            ...(comment.startLine !== undefined
              ? { start_line: comment.startLine, start_side: comment.side }
              : {}),
            body: comment.body,
          })),
        })
        return { id: Number(data.id) }
      }),
    permission: (repo, user) =>
      call(`checking ${user}'s permission on ${name(repo)}`, async (octokit) => {
        const { data } = await octokit.request(
          'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
          {
            ...at(repo),
            username: user,
          },
        )
        const value = data.permission
        return value === 'admin' || value === 'write' || value === 'read' ? value : 'none'
      }),
  }
}
