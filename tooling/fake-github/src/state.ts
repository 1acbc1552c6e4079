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
  createdAt: string
}

/** A review comment as listed: with its review's author and time. */
export interface ListedReviewComment extends ReviewComment {
  reviewId: number
  user: string
  createdAt: string
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

  /**
   * A single line comment on a pull request's diff (the "Add single comment" button): GitHub files
   * it as a review of its own, state COMMENTED, with an empty body.
   */
  addReviewComment(
    pull: number,
    comment: { path: string; line: number; body: string; user?: string; side?: 'LEFT' | 'RIGHT' },
  ): ListedReviewComment {
    const review: Review = {
      id: this.ids(),
      pull,
      user: comment.user ?? 'octocat',
      body: '',
      event: 'COMMENT',
      commitId: '',
      comments: [
        {
          id: this.ids(),
          path: comment.path,
          line: comment.line,
          side: comment.side ?? 'RIGHT',
          body: comment.body,
        },
      ],
      createdAt: new Date().toISOString(),
    }
    this.reviews.push(review)
    return this.reviewCommentsOn(pull).at(-1)!
  }

  /** Every line comment on a pull request, oldest first. */
  reviewCommentsOn(pull: number): ListedReviewComment[] {
    return this.reviews
      .filter((review) => review.pull === pull)
      .flatMap((review) =>
        review.comments.map((comment) => ({
          ...comment,
          reviewId: review.id,
          user: review.user,
          createdAt: review.createdAt,
        })),
      )
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
