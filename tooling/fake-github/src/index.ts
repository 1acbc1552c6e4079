export { commentableLines, diffHunk, type PullFile, pullFiles } from './diff.js'
export { type BareRemote, createBareRemote, GIT_ENV, git } from './git.js'
export {
  FAKE_TOKEN,
  type FakeGitHub,
  type FakeGitHubOptions,
  type RecordedApiRequest,
  signWebhook,
  startFakeGitHub,
} from './server.js'
export type {
  Comment,
  FakeRepo,
  Issue,
  ListedReviewComment,
  Permission,
  Pull,
  Review,
  ReviewComment,
} from './state.js'
export { type Delivery, issueCommentPayload, reviewCommentPayload, webhookDelivery } from './webhooks.js'
