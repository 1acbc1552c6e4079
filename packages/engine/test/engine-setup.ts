import { type ScriptStep, scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { defineTool, openWorkspace, type Tool } from '@penguin-ai/tools'
import { z } from 'zod'
import { Engine, type EngineEvent, type EngineOptions } from '../src/index.js'

/** Shared by the engine test files: an engine with probe tools and a scripted model. */

export interface Probe {
  log: string[]
  active: number
  maxActive: number
}

export function probeTools(probe: Probe): Tool[] {
  const track = async (label: string) => {
    probe.active++
    probe.maxActive = Math.max(probe.maxActive, probe.active)
    probe.log.push(`start ${label}`)
    // Stay active across a turn of the event loop: calls the engine starts together (in the same
    // microtasks) overlap here, calls it runs one after another never do — no clock involved.
    await new Promise((resolve) => setImmediate(resolve))
    probe.log.push(`end ${label}`)
    probe.active--
  }
  return [
    defineTool({
      name: 'look',
      description: 'reads',
      readOnly: true,
      parameters: z.object({ what: z.string() }),
      permission: (args) => ({ access: 'read', subject: args.what }),
      async execute(args) {
        await track(`look ${args.what}`)
        return `saw ${args.what}`
      },
    }),
    defineTool({
      name: 'change',
      description: 'writes',
      parameters: z.object({ what: z.string() }),
      permission: (args) => ({ access: 'write', subject: args.what }),
      async execute(args) {
        await track(`change ${args.what}`)
        return `changed ${args.what}`
      },
    }),
  ]
}

export async function setup(
  steps: ScriptStep[],
  { workspaceDir, ...options }: Partial<EngineOptions> & { workspaceDir?: string } = {},
) {
  const dir = workspaceDir ?? (await tempDir())
  const workspace = await openWorkspace(dir)
  const probe: Probe = { log: [], active: 0, maxActive: 0 }
  const { stream, requests } = scriptedStream(steps)
  const events: EngineEvent[] = []
  const engine = new Engine({
    model: testModel(),
    workspace,
    tools: probeTools(probe),
    systemPrompt: 'test system prompt',
    stream,
    ...options,
  })
  engine.subscribe((event) => events.push(event))
  return { engine, requests, events, probe, dir }
}

export const types = (events: EngineEvent[]) => events.map((event) => event.type)

type Finished = Extract<EngineEvent, { type: 'tool.finished' }>

/** The `tool.finished` events, in order. */
export const finishedOf = (events: EngineEvent[]) =>
  events.filter((event): event is Finished => event.type === 'tool.finished')

/** The `notice` events, in order. */
export const notices = (events: EngineEvent[]) =>
  events.filter((event) => event.type === 'notice') as Extract<EngineEvent, { type: 'notice' }>[]
