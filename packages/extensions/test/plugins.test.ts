import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EngineEvent } from '@penguin-ai/engine'
import { textOf } from '@penguin-ai/llm'
import { tempDir } from '@penguin-ai/testkit'
import { describe, expect, test } from 'vitest'
import { definePlugin, loadPlugins, loadToolFiles, PluginExtension } from '../src/index.js'
import { engineWith, toolResults } from './helpers.js'

describe('plugin hooks', () => {
  test('tool.before rewrites arguments, tool.after replaces output, chat.params and event see the run', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.txt'), 'alpha')
    writeFileSync(join(dir, 'b.txt'), 'beta')
    const seen: string[] = []
    const plugin = definePlugin({
      name: 'test',
      'tool.before': ({ tool, args }) =>
        tool === 'read_file' ? { args: { ...(args as object), path: 'b.txt' } } : undefined,
      'tool.after': ({ result }) => ({ output: `${result.output.trim()} (checked)` }),
      'chat.params': () => ({ temperature: 0.25 }),
      event: (event: EngineEvent) => void seen.push(event.type),
    })
    const { engine, requests } = await engineWith(
      dir,
      [{ calls: [{ name: 'read_file', args: { path: 'a.txt' } }] }, { text: 'done' }],
      [new PluginExtension('test', plugin)],
    )
    await engine.run('read a')
    const result = textOf(toolResults(requests[1])[0]!)
    expect(result).toContain('beta')
    expect(result).toContain('(checked)')
    expect(requests[0]?.temperature).toBe(0.25)
    expect(seen).toContain('tool.finished')
    expect(seen).toContain('run.finished')
  })

  test('permission.ask answers instead of the user', async () => {
    const dir = tempDir()
    const asked: string[] = []
    const plugin = definePlugin({
      'permission.ask': (request) => {
        asked.push(request.tool)
        return (request.args as { command: string }).command.startsWith('echo') ? 'allow' : 'deny'
      },
    })
    const { engine, requests } = await engineWith(
      dir,
      [
        {
          calls: [
            { name: 'run_command', args: { command: 'echo yes' } },
            { name: 'run_command', args: { command: 'touch no.txt' } },
          ],
        },
        { text: 'done' },
      ],
      [new PluginExtension('guard', plugin)],
    )
    await engine.run('go')
    const [first, second] = toolResults(requests[1]).map((message) => textOf(message))
    expect(first).toContain('yes')
    expect(second).toContain('an extension refused it')
    expect(asked).toEqual(['run_command', 'run_command'])
  })
})

describe('loading', () => {
  test('an npm plugin, ESM-only (exports with an import condition), from the config folder', async () => {
    const dir = tempDir()
    const pkg = join(dir, 'node_modules', '@acme', 'penguin-plugin')
    mkdirSync(join(pkg, 'dist'), { recursive: true })
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({
        name: '@acme/penguin-plugin',
        type: 'module',
        exports: { '.': { import: './dist/index.js' } },
      }),
    )
    writeFileSync(
      join(pkg, 'dist', 'index.js'),
      "export default { name: 'acme', 'chat.params': () => ({ temperature: 0.5 }) }\n",
    )
    const warnings: string[] = []
    const loaded = await loadPlugins(
      [{ spec: '@acme/penguin-plugin', base: join(dir, 'sub'), source: 'test', origin: 'user' }],
      {
        cwd: dir,
        warn: (message) => warnings.push(message),
      },
    )
    expect(warnings).toEqual([])
    expect(loaded.map((extension) => extension.name)).toEqual(['plugin acme'])
  })

  test('a plugin module (object or function), a tool file with zod and JSON Schema definitions', async () => {
    const dir = tempDir()
    const plugin = join(dir, 'greeter.mjs')
    writeFileSync(
      plugin,
      `export default ({ defineTool, cwd }) => ({
        tools: [defineTool({ name: 'greet', description: 'Greets', parameters: { type: 'object', properties: { who: { type: 'string' } } }, execute: (args) => 'hello ' + args.who + ' from ' + cwd })],
      })\n`,
    )
    const tools = join(dir, 'shout.ts')
    writeFileSync(
      tools,
      `const upper = (text: string): string => text.toUpperCase()
export const shout = { name: 'shout', description: 'Shouts', parameters: { type: 'object' }, execute: (args: { text: string }) => upper(args.text) }\n`,
    )
    const warnings: string[] = []
    const load = { cwd: dir, warn: (message: string) => warnings.push(message) }
    const [loaded] = await loadPlugins(
      [{ spec: './greeter.mjs', base: dir, source: 'test', origin: 'user' }],
      load,
    )
    const files = await loadToolFiles([{ path: tools, origin: 'user' }], load)
    expect(warnings).toEqual([])
    const { engine, requests } = await engineWith(
      dir,
      [
        {
          calls: [
            { name: 'greet', args: { who: 'penguin' } },
            { name: 'shout', args: { text: 'hi' } },
          ],
        },
        { text: 'done' },
      ],
      [loaded!, files!],
      // Custom tools that do not say they only read ask, like writes: allowed here.
      { autoApprove: true },
    )
    await engine.run('greet')
    const outputs = toolResults(requests[1]).map((message) => textOf(message))
    expect(outputs).toEqual([`hello penguin from ${dir}`, 'HI'])
    expect(requests[0]?.tools?.find((tool) => tool.name === 'greet')?.parameters).toMatchObject({
      properties: { who: { type: 'string' } },
    })
  })
})
