/** Placeholder — implemented by the tools package work. */
export interface Workspace {
  readonly root: string
}
