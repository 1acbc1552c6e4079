import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { textOf } from '@penguin-ai/llm'
import { scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { builtinTools, defineTool, openWorkspace, type ToolDetails } from '@penguin-ai/tools'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { Engine, type EngineEvent, type PermissionRequest } from '../src/index.js'
import { finishedOf, setup } from './engine-setup.js'

/** An engine with the built-in tools over a fresh workspace, answering every ask with `reply`. */
async function builtinEngine(
  calls: Array<{ name: string; args: unknown }>,
  files: Record<string, string> = {},
) {
  const dir = await tempDir()
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content)
  const asked: PermissionRequest[] = []
  const events: EngineEvent[] = []
  const { stream, requests } = scriptedStream([{ calls }, { text: 'done' }])
  const engine = new Engine({
    model: testModel(),
    workspace: await openWorkspace(dir),
    tools: builtinTools(),
    systemPrompt: 'test',
    stream,
    askPermission: async (request) => {
      asked.push(request)
      return 'reject'
    },
  })
  engine.subscribe((event) => events.push(event))
  await engine.run('go')
  return { asked, events, requests, dir }
}

describe('tool details on events', () => {
  test('every call starts with a title and finishes with valid details, failures included', async () => {
    const { engine, events } = await setup([
      {
        calls: [
          { name: 'look', args: { what: 'README.md' }, id: 'ok' },
          { name: 'look', args: { what: 42 }, id: 'invalid' },
          { name: 'nope', args: {}, id: 'unknown' },
        ],
      },
      { text: 'done' },
    ])
    await engine.run('go')
    // Read-only calls run in parallel: their events may come in any order.
    const titles = Object.fromEntries(
      events.flatMap((event) => (event.type === 'tool.started' ? [[event.callId, event.title]] : [])),
    )
    expect(titles).toEqual({ ok: 'README.md', invalid: 'look', unknown: 'nope' })
    const details = Object.fromEntries(finishedOf(events).map((event) => [event.callId, event.details]))
    expect(details.ok).toEqual({ kind: 'generic', summary: 'README.md' })
    expect(details.invalid).toEqual({ kind: 'generic', summary: 'look — Invalid arguments for look:' })
    expect(details.unknown).toEqual({
      kind: 'generic',
      summary: expect.stringMatching(/^nope — Unknown tool "nope"/),
    })
  })

  test('details a tool gets wrong reach UIs as generic data, never as a broken shape', async () => {
    const odd = defineTool({
      name: 'odd',
      description: 'returns details off the schema',
      parameters: z.object({}),
      readOnly: true,
      async execute() {
        return { output: 'ok', details: { kind: 'command', exitCode: 'zero' } as unknown as ToolDetails }
      },
    })
    const { engine, events } = await setup([{ calls: [{ name: 'odd', args: {} }] }, { text: 'done' }], {
      tools: [odd],
    })
    await engine.run('go')
    expect(finishedOf(events)[0]?.details).toEqual({
      kind: 'generic',
      summary: 'odd',
      data: { kind: 'command', exitCode: 'zero' },
    })
  })

  test('built-in tools describe themselves: a command with its exit code, an edit with its diff', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'a.txt'), 'one\n')
    const { stream } = scriptedStream([
      {
        calls: [
          { name: 'run_command', args: { command: 'echo hi; exit 3' } },
          { name: 'edit_file', args: { path: 'a.txt', old_string: 'one', new_string: 'two' } },
        ],
      },
      { text: 'done' },
    ])
    const events: EngineEvent[] = []
    const engine = new Engine({
      model: testModel(),
      workspace: await openWorkspace(dir),
      tools: builtinTools(),
      systemPrompt: 'test',
      stream,
      autoApprove: true,
    })
    await engine.run('go', { onEvent: (event) => events.push(event) })
    const [command, edit] = finishedOf(events).map((event) => event.details)
    expect(command).toMatchObject({
      kind: 'command',
      exitCode: 3,
      stdout: 'hi\n',
      summary: 'echo hi; exit 3 — exit 3',
    })
    expect(edit).toMatchObject({
      kind: 'file-edit',
      summary: 'a.txt (+1 -1)',
      files: [{ operation: 'modify' }],
    })
  })
})

describe('permission previews on asks', () => {
  test('the ask carries the whole command and the event carries the same preview', async () => {
    const command = `echo ${'a'.repeat(120)} && rm -rf ~/work \u001b[2K\r`
    const { asked, events } = await builtinEngine([{ name: 'run_command', args: { command } }])
    expect(asked[0]?.preview).toMatchObject({ kind: 'command', command, cwd: '.' })
    const event = events.find((candidate) => candidate.type === 'permission.asked')
    expect(event).toMatchObject({ preview: { kind: 'command', command } })
  })

  test('a patch ask lists every file with its operation, the delete included', async () => {
    const patch =
      '--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+two\n--- a/b.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-keep\n'
    const { asked } = await builtinEngine([{ name: 'apply_patch', args: { patch } }], {
      'a.txt': 'one\n',
      'b.txt': 'keep\n',
    })
    const preview = asked[0]?.preview
    expect(
      preview?.kind === 'file-edit' && preview.files.map((file) => `${file.operation} ${file.path}`),
    ).toEqual(['modify a.txt', 'delete b.txt'])
  })

  test('a call that cannot run is not asked about: the model gets the reason', async () => {
    const { asked, events, requests } = await builtinEngine(
      [{ name: 'edit_file', args: { path: 'a.txt', old_string: 'missing', new_string: 'x' } }],
      { 'a.txt': 'one\n' },
    )
    expect(asked).toEqual([])
    expect(events.some((event) => event.type === 'permission.asked')).toBe(false)
    const result = requests[1]!.messages.at(-1)!
    expect(textOf(result)).toMatch(/^old_string was not found in a\.txt/)
  })
})
