import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { builtinTools } from '../src/builtin.js'
import { defineTool, ToolError } from '../src/tool.js'
import { todoWriteTool } from '../src/tools/todo-write.js'
import { fixture } from './helpers.js'

const echo = defineTool({
  name: 'echo',
  description: 'Echo.',
  parameters: z.object({ text: z.string(), times: z.number().int().min(1).optional() }),
  readOnly: true,
  maxOutput: { maxLines: 10 },
  async execute({ text, times }) {
    if (text === 'boom') throw new ToolError('Boom: do something else.')
    if (text === 'crash') throw new Error('unexpected')
    return {
      output: Array.from({ length: times ?? 1 }, () => text).join('\n'),
      details: { kind: 'generic', summary: text, data: { text } },
    }
  },
})

describe('defineTool', () => {
  it('parses valid JSON arguments', () => {
    expect(echo.parse('{"text":"hi"}')).toEqual({ ok: true, args: { text: 'hi' } })
  })

  it('turns malformed JSON into a message, not a throw', () => {
    const parsed = echo.parse('{"text": ')
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.error).toMatch(/not valid JSON.*Send a JSON object/)
  })

  it('names the invalid field', () => {
    const parsed = echo.parse('{"text": 3}')
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.error).toMatch(/Invalid arguments for echo:\n- text: /)
  })

  it('run validates too and reports tool errors as results', async () => {
    const { ctx } = await fixture()
    expect(await echo.run({ text: 1 }, ctx)).toMatchObject({
      isError: true,
      output: expect.stringMatching(/^Invalid/),
    })
    expect(await echo.run({ text: 'boom' }, ctx)).toEqual({
      output: 'Boom: do something else.',
      isError: true,
    })
    expect(await echo.run({ text: 'crash' }, ctx)).toEqual({
      output: 'echo failed: unexpected',
      isError: true,
    })
  })

  it('caps output for the model but keeps details', async () => {
    const { ctx } = await fixture()
    const result = await echo.run({ text: 'abc', times: 50 }, ctx)
    expect(result.output.split('\n').length).toBe(11)
    expect(result.output).toContain('lines omitted')
    expect(result.details).toEqual({ kind: 'generic', summary: 'abc', data: { text: 'abc' } })
  })

  it('exposes a JSON schema without $schema', () => {
    expect(echo.jsonSchema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } } })
    expect(echo.jsonSchema).not.toHaveProperty('$schema')
  })
})

describe('builtinTools', () => {
  // Spelled out on purpose: names and order are a public contract (apps/cli's cli-run.test.ts checks
  // what a real run sends the model the same way).
  it('lists the eight tools in contract order with schemas', () => {
    const tools = builtinTools()
    expect(tools.map((t) => t.name)).toEqual([
      'read_file',
      'write_file',
      'edit_file',
      'apply_patch',
      'list_files',
      'grep',
      'run_command',
      'todo_write',
    ])
    expect(tools.filter((t) => t.readOnly).map((t) => t.name)).toEqual([
      'read_file',
      'list_files',
      'grep',
      'todo_write',
    ])
    for (const tool of tools) {
      expect(tool.jsonSchema.type).toBe('object')
      expect(tool.description.length).toBeLessThan(140)
    }
    const schema = tools.find((t) => t.name === 'edit_file')!.jsonSchema as {
      properties: object
      required: string[]
    }
    expect(Object.keys(schema.properties)).toEqual(['path', 'old_string', 'new_string', 'replace_all'])
    expect(schema.required).toEqual(['path', 'old_string', 'new_string'])
  })

  it('describes permission subjects workspace-relative', async () => {
    const { workspace } = await fixture()
    const [read, write, , patch, list, grep, run] = builtinTools()
    expect(read!.permission({ path: './src/../a.ts' }, workspace)).toEqual({
      access: 'read',
      subject: 'a.ts',
      paths: ['a.ts'],
    })
    expect(write!.permission({ path: `${workspace.root}/b.ts`, content: '' }, workspace)).toEqual({
      access: 'write',
      subject: 'b.ts',
      paths: ['b.ts'],
    })
    expect(list!.permission({}, workspace)).toEqual({ access: 'read', subject: '.', paths: ['.'] })
    expect(grep!.permission({ pattern: 'x', path: 'src' }, workspace)).toEqual({
      access: 'read',
      subject: 'src',
      paths: ['src'],
    })
    expect(run!.permission({ command: 'npm test' })).toEqual({ access: 'execute', subject: 'npm test' })
    const p = '--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-a\n+b\n--- /dev/null\n+++ b/y.ts\n@@ -0,0 +1 @@\n+y\n'
    expect(patch!.permission({ patch: p }, workspace)).toEqual({
      access: 'write',
      subject: 'x.ts, y.ts',
      paths: ['x.ts', 'y.ts'],
    })
    // Without a workspace, paths are normalised lexically.
    expect(read!.permission({ path: './src/../a.ts' })).toEqual({
      access: 'read',
      subject: 'a.ts',
      paths: ['a.ts'],
    })
    expect(list!.permission({ path: 'src/' })).toEqual({ access: 'read', subject: 'src', paths: ['src'] })
    // Arguments that do not fit the schema still describe, never throw.
    expect(read!.permission({ nope: 1 }, workspace)).toEqual({ access: 'read', subject: '' })
  })
})

describe('todo_write', () => {
  it('renders the plan and returns it as details', async () => {
    const { ctx } = await fixture()
    const todos = [
      { content: 'Read the code', status: 'completed' },
      { content: 'Fix the bug', status: 'in_progress', id: '2' },
      { content: 'Run the tests', status: 'pending' },
    ]
    const result = await todoWriteTool.run({ todos }, ctx)
    expect(result.output).toBe(
      'Todos (1/3 completed):\n[x] Read the code\n[~] Fix the bug\n[ ] Run the tests',
    )
    expect(result.details).toEqual({ kind: 'todo', summary: '1/3 done · now: Fix the bug', todos })
    expect(todoWriteTool.permission({ todos })).toEqual({ access: 'read', subject: '' })
    const bad = await todoWriteTool.run({ todos: [{ content: 'x', status: 'done' }] }, ctx)
    expect(bad.isError).toBe(true)
    expect(bad.output).toContain('todos.0.status')
  })
})
