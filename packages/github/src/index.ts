export {
  connectGitHub,
  DEFAULT_API_URL,
  type GitHub,
  type GitHubOptions,
  type IssueComment,
  type IssueInfo,
  type PullFileInfo,
  type PullInfo,
  type RepoPermission,
  type Repository,
  type ReviewCommentInfo,
  type ReviewCommentInput,
  type ReviewEvent,
} from './client.js'
export { GitHubError, toGitHubError } from './errors.js'
export { parseRepoRef, type RepoRef, remoteNamesRepo, repoName } from './repo-ref.js'
export { commentableLines, placeReviewComments } from './review-lines.js'
export { type CommentTrigger, commentTrigger, DeliveryLog, verifySignature } from './webhook.js'
