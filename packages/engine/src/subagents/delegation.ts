/** An engine's side of delegation: the `task` tool, bound to the run in progress, and its children. */
import type { Tool } from '@penguin-ai/tools'
import type { EngineOptions } from '../engine-options.js'
import { delegate, type ParentRun, parentRun } from './delegate.js'
import { taskTool } from './task-tool.js'
import { MAX_SUBAGENT_DEPTH, type SubagentSession } from './types.js'

export class Delegation {
  /** The run in progress, as its `task` calls need it (runs never overlap: see `Engine.exclusive`). */
  private active: ParentRun | undefined
  /** Sub-agent sessions kept in memory (when the host stores none), for `session_id` to continue. */
  private readonly children = new Map<string, SubagentSession>()

  constructor(private readonly options: EngineOptions) {}

  /** The `task` tool, when this engine may delegate and is not already as deep as sub-agents go. */
  tools(): Tool[] {
    const { subagents, lineage } = this.options
    if (!subagents || (lineage?.depth ?? 0) >= MAX_SUBAGENT_DEPTH) return []
    return [
      taskTool(subagents.agents, (args, ctx) => {
        const run = this.active
        if (!run) return Promise.resolve({ output: 'Not run: no run is in progress.', isError: true })
        return delegate(args, ctx, run)
      }),
    ]
  }

  /** A run starts: its `task` calls delegate under its session, policy, meter and events. */
  begin(run: Pick<ParentRun, 'sessionId' | 'policy' | 'meter' | 'overBudget' | 'emit'>): void {
    const { subagents } = this.options
    this.active = subagents
      ? parentRun(this.options, subagents, { ...run, children: this.children })
      : undefined
  }

  /** The run ended: a late `task` call is refused. */
  end(): void {
    this.active = undefined
  }
}
