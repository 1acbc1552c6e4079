export { AgentSession } from './agent-session.js'
export {
  Checkpointer,
  CheckpointScopeError,
  DEFAULT_RETENTION,
  type RestoreOptions,
  type RestorePlan,
  type RestoreResult,
} from './checkpointer.js'
export { summaryMessage, toEngineHistory, toNewMessage } from './convert.js'
export { type ExportOptions, sessionToJson, sessionToMarkdown } from './export.js'
export { memoryScope, storeMemoryBackend } from './memory-backend.js'
export { type OpenedSession, openSession, type SessionChoice, titleFrom } from './open-session.js'
export { SessionRecorder } from './recorder.js'
export { type RedactText, redactMessage, redactStrings, secretRedactor } from './redact.js'
export { INTERRUPTED_RESULT, repairToolPairs } from './repair.js'
export type {
  AgentSessionOptions,
  LateSessionOptions,
  SessionRunOptions,
  SessionRunResult,
} from './session-options.js'
export { renderSessionTree, type SessionTreeNode, sessionTree, treeSize } from './tree.js'
