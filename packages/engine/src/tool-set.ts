/** The tools a run offers the model: the engine's own, plus what extensions add per request. */
import type { ToolSpec } from '@penguin-ai/llm'
import type { Tool } from '@penguin-ai/tools'
import type { ExtensionChain, ExtensionScope } from './extension-chain.js'
import { specsOf } from './extension-steps.js'

export class ToolSet {
  /** The engine's own tools; extensions' tools join them per request. */
  private readonly base: Map<string, Tool>
  private current: Map<string, Tool>
  private currentSpecs: ToolSpec[]
  private readonly offered: (name: string) => boolean

  constructor(tools: readonly Tool[], offered: (name: string) => boolean = () => true) {
    this.offered = offered
    this.base = new Map(tools.filter((tool) => offered(tool.name)).map((tool) => [tool.name, tool]))
    this.current = this.base
    this.currentSpecs = specsOf(this.current)
  }

  /** The tools offered in the latest request, by name. */
  get map(): Map<string, Tool> {
    return this.current
  }

  get names(): string[] {
    return [...this.current.keys()]
  }

  /** What the model is told about them. */
  get specs(): ToolSpec[] {
    return this.currentSpecs
  }

  /** Unknown names count as read-only: they never ran. */
  isReadOnly(name: string): boolean {
    return this.current.get(name)?.readOnly ?? true
  }

  /**
   * The engine's tools plus what extensions offer now (an MCP server may have come or gone);
   * resolves true when the set changed.
   */
  async refresh(extensions: ExtensionChain, scope: ExtensionScope): Promise<boolean> {
    if (extensions.size === 0) return false
    const added = (await extensions.tools(scope, new Set(this.base.keys()))).filter((tool) =>
      this.offered(tool.name),
    )
    const names = [...this.base.keys(), ...added.map((tool) => tool.name)]
    const current = [...this.current.keys()]
    const unchanged =
      names.length === current.length &&
      names.every((name, index) => name === current[index] && this.current.get(name) !== undefined) &&
      added.every((tool) => this.current.get(tool.name) === tool)
    if (unchanged) return false
    this.current = new Map([...this.base, ...added.map((tool) => [tool.name, tool] as const)])
    this.currentSpecs = specsOf(this.current)
    return true
  }
}
