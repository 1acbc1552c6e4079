import type { FileChangeJson } from '@penguin-ai/protocol/api'

export interface ShadowRepoOptions {
  /** Penguin's data directory; the repo lives at <dataDir>/checkpoints/<hash of the workspace realpath>.git */
  dataDir: string
  workspace: string
  /** Files larger than this are not snapshotted (default 5 MiB). */
  maxFileBytes?: number
}

/**
 * One path that differs. The status reads from the first state to the second: `added` exists only in
 * the second. `additions` / `deletions` count lines; both are absent when `binary` is set. The API's
 * `FileChange` (`@penguin-ai/protocol/api`), so the server sends it as it is.
 */
export type FileChange = FileChangeJson

export interface ShadowRepo {
  readonly gitDir: string
  /** The workspace's real path (symlinks resolved); every operation works on this directory. */
  readonly workspace: string
  /** Commit of the workspace as it is now. Incremental: unchanged files cost a stat. Same content twice → may return a commit with the same tree. */
  snapshot(label?: string): Promise<string>
  /** What differs between a snapshot and another snapshot or (default) the workspace now. */
  diff(from: string, to?: string): Promise<FileChange[]>
  /** The same as a unified diff text, for `checkpoint diff`. */
  patch(from: string, to?: string): Promise<string>
  /** What `restore(commit)` would change in the workspace. */
  planRestore(commit: string): Promise<FileChange[]>
  /** Make the snapshot-eligible files of the workspace exactly those of `commit` (write changed, recreate deleted, delete files added since); ignored files, huge files and the user's .git are never touched. Returns what changed. */
  restore(commit: string): Promise<FileChange[]>
  /** Keep only these commits (and what they need); drop the rest and gc so disk use stays bounded. */
  prune(keep: string[]): Promise<void>
}
