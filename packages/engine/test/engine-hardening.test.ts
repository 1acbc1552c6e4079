import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { textOf } from '@penguin-ai/llm'
import { builtinTools, defineTool, PermissionPolicy } from '@penguin-ai/tools'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import type { EngineEvent } from '../src/index.js'
import { setup } from './engine-setup.js'

const finished = (events: EngineEvent[]) =>
  events.filter(
    (event): event is Extract<EngineEvent, { type: 'tool.finished' }> => event.type === 'tool.finished',
  )

describe('a cancelled run ends whatever its tools are doing', () => {
  test('a tool that ignores the abort signal does not hold the run', async () => {
    const controller = new AbortController()
    const stuck = defineTool({
      name: 'stuck',
      description: 'never returns and ignores its signal',
      parameters: z.object({}),
      execute: () => {
        queueMicrotask(() => controller.abort())
        return new Promise(() => {})
      },
    })
    const { engine, events } = await setup([{ calls: [{ name: 'stuck', args: {} }] }, { text: 'never' }], {
      tools: [stuck],
      autoApprove: true,
    })
    const result = await engine.run('go', { signal: controller.signal })
    expect(result.status).toBe('aborted')
    expect(finished(events)[0]).toMatchObject({
      tool: 'stuck',
      isError: true,
      output: expect.stringMatching(/aborted/),
    })
  })
})

describe('a cancelled run does not wait for what comes before its tools', () => {
  test('a checkpoint (beforeChanges) that never finishes: aborted, the calls answered "not run"', async () => {
    const controller = new AbortController()
    const { engine, events } = await setup(
      [{ calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'x' } }] }, { text: 'never' }],
      {
        tools: builtinTools(),
        autoApprove: true,
        // Snapshotting a huge tree can take minutes; this one never ends.
        beforeChanges: () => {
          queueMicrotask(() => controller.abort())
          return new Promise(() => {})
        },
      },
    )
    const result = await engine.run('go', { signal: controller.signal })
    expect(result.status).toBe('aborted')
    expect(events.filter((event) => event.type === 'tool.started')).toEqual([])
    const last = engine.messages.at(-1)
    expect(last?.role === 'tool' && textOf(last)).toMatch(/Not run: the run was cancelled/)
  })

  test('a system prompt that is never ready: aborted before any model request', async () => {
    const controller = new AbortController()
    const { engine, requests } = await setup([{ text: 'never' }], {
      systemPrompt: new Promise<string>(() => {
        queueMicrotask(() => controller.abort())
      }),
    })
    const result = await engine.run('go', { signal: controller.signal })
    expect(result.status).toBe('aborted')
    expect(requests).toEqual([])
  })
})

describe('deny rules cannot be sidestepped', () => {
  const rules = new PermissionPolicy([
    { tool: '*', pattern: 'secrets', action: 'deny' },
    { tool: '*', pattern: 'secrets/*', action: 'deny' },
  ])

  async function workspaceWithSecrets() {
    const ctx = await setup([], {})
    await mkdir(join(ctx.dir, 'secrets'))
    await writeFile(join(ctx.dir, 'secrets', 'prod.env'), 'KEY=hunter2\n')
    await writeFile(join(ctx.dir, 'notes.md'), 'KEY is in secrets\n')
    await symlink(join(ctx.dir, 'secrets'), join(ctx.dir, 'link'))
    await symlink(join(ctx.dir, 'secrets', 'prod.env'), join(ctx.dir, 'innocent.txt'))
    return ctx.dir
  }

  test('paths are matched after symlinks are resolved', async () => {
    const dir = await workspaceWithSecrets()
    const { engine, events } = await setup(
      [
        {
          calls: [
            { name: 'read_file', args: { path: 'link/prod.env' } },
            { name: 'read_file', args: { path: 'innocent.txt' } },
            { name: 'write_file', args: { path: 'link/new.env', content: 'x' } },
          ],
        },
        { text: 'done' },
      ],
      { tools: builtinTools(), policy: rules, autoApprove: true, workspaceDir: dir },
    )
    await engine.run('read the secrets')
    const outputs = finished(events).map((event) => event.output)
    expect(outputs).toHaveLength(3)
    for (const output of outputs) expect(output).toMatch(/^Permission denied/)
    expect(outputs.join('\n')).not.toContain('hunter2')
  })

  test('workspace-wide grep and list_files skip denied paths', async () => {
    const dir = await workspaceWithSecrets()
    const { engine, events } = await setup(
      [
        {
          calls: [
            { name: 'grep', args: { pattern: 'KEY' } },
            { name: 'list_files', args: {} },
          ],
        },
        { text: 'done' },
      ],
      { tools: builtinTools(), policy: rules, autoApprove: true, workspaceDir: dir },
    )
    await engine.run('look around')
    const grep = finished(events).find((event) => event.tool === 'grep')
    const list = finished(events).find((event) => event.tool === 'list_files')
    expect(grep!.output).toBe('notes.md:1: KEY is in secrets')
    expect(list!.output.split('\n')).not.toContain('secrets/prod.env')
    expect(list!.output.split('\n')).not.toContain('secrets/')
  })

  test('a denied command cannot hide behind another', async () => {
    const policy = new PermissionPolicy([
      { tool: 'run_command', pattern: 'echo *', action: 'allow' },
      { tool: 'run_command', pattern: 'touch *', action: 'deny' },
    ])
    const { engine, events, dir } = await setup(
      [{ calls: [{ name: 'run_command', args: { command: 'echo hi && touch pwned' } }] }, { text: 'done' }],
      { tools: builtinTools(), policy, autoApprove: true },
    )
    await engine.run('go')
    expect(finished(events)[0]!.output).toMatch(/^Permission denied/)
    await expect(import('node:fs/promises').then((fs) => fs.access(join(dir, 'pwned')))).rejects.toThrow()
  })
})

describe('tool arguments nested too deeply', () => {
  test('are reported to the model and every event stays serialisable', async () => {
    const depth = 5_000
    const raw = `{"path":${'['.repeat(depth)}${']'.repeat(depth)}}`
    const { engine, events, requests } = await setup(
      [{ calls: [{ name: 'read_file', args: raw }] }, { text: 'ok' }],
      { tools: builtinTools() },
    )
    const result = await engine.run('go')
    expect(result.status).toBe('completed')
    for (const event of events) expect(() => JSON.stringify(event)).not.toThrow()
    const toolMessage = requests[1]!.messages.find((message) => message.role === 'tool')
    expect(textOf(toolMessage!)).toMatch(/at most 64 are accepted/)
  })
})
