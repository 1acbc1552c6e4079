export * from './tool.js'
export type { Workspace } from './workspace.js'
