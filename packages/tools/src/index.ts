export { builtinTools } from './builtin.js'
export { type CapOptions, capOutput, DEFAULT_CAP } from './cap-output.js'
export type { ChangeInput } from './change.js'
export { type ChildEnvironmentOptions, childEnvironment, isCredentialName } from './child-env.js'
export { type CommandPart, commandParts } from './command-parts.js'
export * from './details/index.js'
export { type FileAccess, type FileAccessOptions, localFiles } from './file-access.js'
export { jsonNestingDepth, MAX_ARGUMENT_DEPTH, parseArgumentText } from './json-depth.js'
export type { LineRegex } from './line-regex.js'
export {
  type AccessDefaults,
  escapeWildcard,
  evaluateCommand,
  evaluatePermission,
  findRule,
  type PermissionAction,
  PermissionPolicy,
  type PermissionRule,
  PermissionRuleSchema,
  PermissionRulesSchema,
  type PolicyOptions,
  SANDBOXED_DEFAULTS,
  wildcardMatch,
} from './permission.js'
export { pathPermission, resolvePermissionSubject } from './permission-subject.js'
export {
  type RunOptions as ProcessOptions,
  type RunOutcome as ProcessOutcome,
  runProcess,
} from './process.js'
export { killProcessTrees, trackChildProcess, trackProcessGroup } from './process-groups.js'
export {
  PROTECTED_DIRECTORIES,
  PROTECTED_FILES,
  type ProtectedTarget,
  protectedDirectoryOf,
  protectedTargets,
} from './protected.js'
export { commandRunsOutside } from './sandboxed-calls.js'
export { NotRegularFileError, readRegularPrefix } from './special-files.js'
export * from './tool.js'
export { applyPatchTool } from './tools/apply-patch.js'
export { editFileTool } from './tools/edit-file.js'
export { grepTool } from './tools/grep.js'
export { listFilesTool } from './tools/list-files.js'
export { type MemoryBackend, type MemoryRecord, memoryTools } from './tools/memory.js'
export { readFileTool } from './tools/read-file.js'
export { runCommandTool } from './tools/run-command.js'
export { todoWriteTool } from './tools/todo-write.js'
export { writeFileTool } from './tools/write-file.js'
export type { EntryKind, WalkEntry, WalkOptions } from './walk.js'
export { changeCounts } from './words.js'
export { isInside, openWorkspace, subjectPath, Workspace, type WorkspaceOptions } from './workspace.js'
