import type { BareRemote } from './git.js'

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read'

export interface Comment {
  id: number
  issue: number
  body: string
  user: string
  createdAt: string
  updatedAt: string
  /** Every body the comment had, oldest first (edits included). */
  history: string[]
}

export interface Issue {
  number: number
  title: string
  body: string | null
  user: string
  state: 'open' | 'closed'
  /** Set for pull requests (GitHub's issues and pulls share numbers). */
  pull?: Pull
}

export interface Pull {
  head: string
  base: string
  draft: boolean
  headSha?: string
}

export interface ReviewComment {
  id: number
  path: string
  line: number
  side: 'LEFT' | 'RIGHT'
  startLine?: number
  body: string
}

export interface Review {
  id: number
  pull: number
  user: string
  body: string
  event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT'
  commitId: string
  comments: ReviewComment[]
}

/** One repository of the fake: its git side is a bare remote; the rest lives in memory. */
export class FakeRepo {
  readonly issues = new Map<number, Issue>()
  readonly comments: Comment[] = []
  readonly reviews: Review[] = []
  readonly collaborators = new Map<string, Permission>()
  private next = 1

  constructor(
    readonly owner: string,
    readonly name: string,
    readonly remote: BareRemote,
    private readonly ids: () => number,
  ) {}

  get fullName(): string {
    return `${this.owner}/${this.name}`
  }

  addIssue(issue: { title: string; body?: string | null; user?: string }): Issue {
    const created: Issue = {
      number: this.next++,
      title: issue.title,
      body: issue.body ?? null,
      user: issue.user ?? 'octocat',
      state: 'open',
    }
    this.issues.set(created.number, created)
    return created
  }

  addPull(pull: { title: string; body?: string | null; user?: string; head: string; base?: string }): Issue {
    const issue = this.addIssue(pull)
    issue.pull = { head: pull.head, base: pull.base ?? this.remote.defaultBranch, draft: false }
    return issue
  }

  addComment(issue: number, comment: { body: string; user?: string }): Comment {
    const now = new Date().toISOString()
    const created: Comment = {
      id: this.ids(),
      issue,
      body: comment.body,
      user: comment.user ?? 'octocat',
      createdAt: now,
      updatedAt: now,
      history: [comment.body],
    }
    this.comments.push(created)
    return created
  }

  commentsOn(issue: number): Comment[] {
    return this.comments.filter((comment) => comment.issue === issue)
  }

  pulls(): Issue[] {
    return [...this.issues.values()].filter((issue) => issue.pull)
  }

  grant(user: string, permission: Permission): void {
    this.collaborators.set(user, permission)
  }
}
