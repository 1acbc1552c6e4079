import { execFile } from 'node:child_process'
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  type AssistantMessage,
  assistantMessage,
  type Message,
  type StreamEvent,
  textOf,
  toolCallsOf,
  toolResultMessage,
  userMessage,
} from '@penguin-ai/llm'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO_PROMPT, SAMPLE_DIR, SAMPLE_FIX, SOURCE_PATH, TEST_PATH } from '../src/demo/sample.js'
import { createScriptedAdapter, nextStep, type Step, scriptedModel } from '../src/demo/scripted-model.js'
import { readTestOutcome } from '../src/demo/test-outcome.js'

type ToolReply = { content: string; isError?: boolean }
/** Plays the world: answers one tool call the way the real tool would. */
type Responder = (name: string, args: Record<string, unknown>) => ToolReply | Promise<ToolReply>

function startConversation(): Message[] {
  return [{ role: 'system', content: 'You are Penguin.' }, userMessage(DEMO_PROMPT)]
}

/** Appends a step's assistant message and the tool results, as the engine would. */
async function applyStep(messages: Message[], step: Step, respond: Responder): Promise<void> {
  const turn = messages.filter((m) => m.role === 'assistant').length + 1
  const calls = step.kind === 'tools' ? step.calls : []
  const assistant: AssistantMessage = assistantMessage(
    step.text,
    calls.map((c, i) => ({ id: `call_${turn}_${i}`, name: c.name, arguments: JSON.stringify(c.args) })),
  )
  messages.push(assistant)
  for (const [i, call] of calls.entries()) {
    const reply = await respond(call.name, call.args)
    const id = toolCallsOf(assistant)[i]!.id
    messages.push(
      toolResultMessage({ id, name: call.name }, reply.content, { isError: reply.isError ?? false }),
    )
  }
}

/** Runs the script to its final answer, returning every step taken. */
async function playThrough(respond: Responder, messages = startConversation()): Promise<Step[]> {
  const steps: Step[] = []
  for (let i = 0; i < 20; i++) {
    const step = nextStep(messages)
    steps.push(step)
    if (step.kind === 'final') return steps
    await applyStep(messages, step, respond)
  }
  throw new Error('the script did not finish')
}

function callNames(steps: Step[]): string[][] {
  return steps.map((s) => (s.kind === 'tools' ? s.calls.map((c) => c.name) : ['(final)']))
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = []
  for await (const event of events) out.push(event)
  return out
}

/** What `node --test` prints with the TAP reporter, trimmed to what the script reads. */
const FAILING_RUN = [
  'not ok 2 - the total counts every unit of every item',
  '  error: |-',
  '    Expected values to be strictly equal:',
  '',
  '    1649 !== 2899',
  '',
  '1..4',
  '# tests 4',
  '# pass 3',
  '# fail 1',
].join('\n')
const PASSING_RUN = ['1..4', '# tests 4', '# pass 4', '# fail 0'].join('\n')

/** A world where everything works: tests fail until the edit lands, then pass. */
function happyWorld(): Responder {
  let fixed = false
  return (name, args) => {
    if (name === 'list_files')
      return { content: 'PENGUIN.md\nREADME.md\npackage.json\nsrc/cart.js\ntest/cart.test.js' }
    if (name === 'read_file' && args.path === SOURCE_PATH)
      return { content: `   12\t${SAMPLE_FIX.oldString}\n` }
    if (name === 'read_file') return { content: "import { test } from 'node:test'" }
    if (name === 'edit_file') {
      fixed = true
      return { content: `Edited ${String(args.path)}` }
    }
    if (name === 'run_command')
      return fixed ? { content: PASSING_RUN } : { content: FAILING_RUN, isError: true }
    throw new Error(`unexpected tool ${name}`)
  }
}

describe('nextStep', () => {
  it('plays list → read both → test → edit → test → answer', async () => {
    const steps = await playThrough(happyWorld())
    expect(callNames(steps)).toEqual([
      ['list_files'],
      ['read_file', 'read_file'],
      ['run_command'],
      ['edit_file'],
      ['run_command'],
      ['(final)'],
    ])
    expect(steps[0]!.text).toBe('Let me look at the project.')
    const reads = steps[1]!.kind === 'tools' ? steps[1]!.calls.map((c) => c.args.path) : []
    expect(reads).toEqual([SOURCE_PATH, TEST_PATH])
    const edit = steps[3]!
    expect(edit.kind === 'tools' && edit.calls[0]!.args).toEqual({
      path: SOURCE_PATH,
      old_string: SAMPLE_FIX.oldString,
      new_string: SAMPLE_FIX.newString,
    })
    expect(edit.text).toContain('"the total counts every unit of every item" fails (got 1649, expected 2899)')
    const answer = steps.at(-1)!.text
    expect(answer).toContain('All 4 tests pass now.')
    expect(answer).toContain('scripted model')
    expect(answer).toContain('penguin run --model openai/gpt-4o')
    expect(answer).toContain('ollama/llama3.1')
  })

  it('stops with an explanation when a permission is denied', async () => {
    const base = happyWorld()
    const steps = await playThrough((name, args) =>
      name === 'edit_file'
        ? { content: 'The user denied permission to edit src/cart.js.', isError: true }
        : base(name, args),
    )
    expect(callNames(steps).at(-2)).toEqual(['edit_file'])
    expect(steps.at(-1)!.kind).toBe('final')
    expect(steps.at(-1)!.text).toContain("I couldn't edit src/cart.js")
    expect(steps.at(-1)!.text).toContain('denied permission')
  })

  it('stops when the edit applied but the tests still fail', async () => {
    const base = happyWorld()
    const steps = await playThrough((name, args) =>
      name === 'run_command' ? { content: FAILING_RUN, isError: true } : base(name, args),
    )
    expect(callNames(steps).filter((c) => c[0] === 'run_command')).toHaveLength(2)
    expect(steps.at(-1)!.text).toContain('the tests still fail')
  })

  it('stops when the tests cannot run at all', async () => {
    const base = happyWorld()
    const steps = await playThrough((name, args) =>
      name === 'run_command' ? { content: 'sh: npm: command not found', isError: true } : base(name, args),
    )
    expect(callNames(steps)).toHaveLength(4)
    expect(steps.at(-1)!.text).toContain("I couldn't run `npm test`")
    expect(steps.at(-1)!.text).toContain('npm: command not found')
  })

  it('stops when a listing or read fails, or the source is not the expected one', async () => {
    const base = happyWorld()
    const listDenied = await playThrough((name, args) =>
      name === 'list_files' ? { content: 'denied', isError: true } : base(name, args),
    )
    expect(listDenied).toHaveLength(2)
    const readMissing = await playThrough((name, args) =>
      name === 'read_file' && args.path === TEST_PATH
        ? { content: 'not found', isError: true }
        : base(name, args),
    )
    expect(readMissing.at(-1)!.text).toContain(`I couldn't read ${TEST_PATH}`)
    const changedSource = await playThrough((name, args) =>
      name === 'read_file' ? { content: 'export const x = 1' } : base(name, args),
    )
    expect(changedSource).toHaveLength(3)
    expect(changedSource.at(-1)!.text).toContain("doesn't contain the code")
  })

  it('answers without editing when the tests already pass', async () => {
    const base = happyWorld()
    const steps = await playThrough((name, args) =>
      name === 'run_command' ? { content: PASSING_RUN } : base(name, args),
    )
    expect(callNames(steps).flat()).not.toContain('edit_file')
    expect(steps.at(-1)!.text).toContain('already pass')
  })

  it('treats a missing tool result as a failure', () => {
    const messages = startConversation()
    messages.push(assistantMessage('', [{ id: 'a', name: 'list_files', arguments: '{}' }]))
    const step = nextStep(messages)
    expect(step.kind).toBe('final')
    expect(step.text).toContain('No result came back for list_files')
  })

  it('does not restart the script for a follow-up question', async () => {
    const messages = startConversation()
    await playThrough(happyWorld(), messages)
    messages.push(assistantMessage('done'))
    messages.push(userMessage('Now add a tax line.'))
    expect(nextStep(messages).kind).toBe('final')
  })
})

describe('readTestOutcome', () => {
  it('reads the TAP and spec reporters', () => {
    expect(readTestOutcome(FAILING_RUN)).toEqual({
      status: 'fail',
      passed: 3,
      failed: 1,
      firstFailure: 'the total counts every unit of every item',
      mismatch: { actual: '1649', expected: '2899' },
    })
    const spec =
      '✔ empty (1.1ms)\n✖ the total counts every unit of every item (1.3ms)\n  1649 !== 2899\nℹ pass 3\nℹ fail 1'
    expect(readTestOutcome(spec).firstFailure).toBe('the total counts every unit of every item')
    expect(readTestOutcome('ℹ tests 4\nℹ pass 4\nℹ fail 0').status).toBe('pass')
    expect(readTestOutcome('command not found').status).toBe('unknown')
  })
})

describe('createScriptedAdapter', () => {
  const adapter = createScriptedAdapter({ wordDelayMs: 0 })
  const model = scriptedModel()

  it('describes itself as a free, keyless model', () => {
    expect(adapter.api).toBe('scripted')
    expect(model).toMatchObject({ id: 'demo/scripted', provider: 'demo', model: 'scripted', api: 'scripted' })
    expect(model.apiKey).toBeUndefined()
    expect(model.info).toEqual({
      contextWindow: 128000,
      maxOutputTokens: 4096,
      inputPrice: 0,
      outputPrice: 0,
    })
  })

  it('streams text word by word and tool calls as start → deltas → end', async () => {
    const messages = startConversation()
    const world = happyWorld()
    await applyStep(messages, nextStep(messages), world)
    const events = await collect(adapter.stream(model, { messages }, { timeoutMs: 1000 }))

    const text = events.flatMap((e) => (e.type === 'text_delta' ? [e.delta] : []))
    expect(text.length).toBeGreaterThan(3)
    expect(text.join('')).toBe(nextStep(messages).text)

    for (const index of [0, 1]) {
      const own = events.filter((e) => 'index' in e && e.index === index)
      expect(own[0]).toMatchObject({ type: 'tool_call_start', id: `call_demo_2_${index}`, name: 'read_file' })
      const deltas = own.flatMap((e) => (e.type === 'tool_call_delta' ? [e.delta] : []))
      expect(deltas.length).toBeGreaterThanOrEqual(2)
      const end = own.at(-1)!
      expect(end.type).toBe('tool_call_end')
      if (end.type !== 'tool_call_end') return
      expect(deltas.join('')).toBe(end.toolCall.arguments)
      expect(end.toolCall.id).toBe(`call_demo_2_${index}`)
    }

    const [usage, done] = events.slice(-2)
    expect(usage?.type).toBe('usage')
    expect(done?.type).toBe('done')
    if (done?.type !== 'done' || usage?.type !== 'usage') return
    expect(done.stopReason).toBe('tool_calls')
    expect(done.usage).toEqual(usage.usage)
    expect(done.usage.inputTokens).toBeGreaterThan(0)
    expect(done.usage.totalTokens).toBe(done.usage.inputTokens + done.usage.outputTokens)
    expect(textOf(done.message)).toBe(text.join(''))
    expect(toolCallsOf(done.message).map((c) => JSON.parse(c.arguments))).toEqual([
      { path: SOURCE_PATH },
      { path: TEST_PATH },
    ])
  })

  it('ends a final answer with stopReason stop and no tool calls', async () => {
    const messages = startConversation()
    messages.push(assistantMessage('', [{ id: 'a', name: 'list_files', arguments: '{}' }]))
    messages.push(toolResultMessage({ id: 'a', name: 'list_files' }, 'denied', { isError: true }))
    const events = await collect(adapter.stream(model, { messages }, { timeoutMs: 1000 }))
    expect(events.some((e) => e.type.startsWith('tool_call'))).toBe(false)
    const done = events.at(-1)
    expect(done?.type === 'done' && done.stopReason).toBe('stop')
  })

  it('stops with an AbortedError when the signal aborts', async () => {
    const controller = new AbortController()
    const slow = createScriptedAdapter({ wordDelayMs: 5 })
    const events: StreamEvent[] = []
    for await (const event of slow.stream(
      model,
      { messages: startConversation(), signal: controller.signal },
      { timeoutMs: 1000 },
    )) {
      events.push(event)
      if (event.type === 'text_delta') controller.abort()
    }
    expect(events.map((e) => e.type)).toEqual(['text_delta', 'error'])
    const last = events.at(-1)
    expect(last?.type === 'error' && last.error.kind).toBe('aborted')
  })
})

describe('the sample repository', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
    dir = undefined
  })

  async function copySample(): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'penguin-demo-test-'))
    await cp(SAMPLE_DIR, dir, { recursive: true })
    return dir
  }

  async function nodeTest(cwd: string): Promise<{ ok: boolean; output: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--test'], { cwd })
      return { ok: true, output: stdout + stderr }
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
      return { ok: false, output: stdout + stderr }
    }
  }

  it('fails its tests before the scripted edit and passes after it', async () => {
    const root = await copySample()
    const before = await nodeTest(root)
    expect(before.ok).toBe(false)
    expect(readTestOutcome(before.output)).toMatchObject({ status: 'fail', failed: 1, passed: 3 })

    const file = join(root, SAMPLE_FIX.path)
    const source = await readFile(file, 'utf8')
    // edit_file requires old_string to occur exactly once.
    expect(source.split(SAMPLE_FIX.oldString)).toHaveLength(2)
    await writeFile(file, source.replace(SAMPLE_FIX.oldString, SAMPLE_FIX.newString))

    const after = await nodeTest(root)
    expect(after.ok).toBe(true)
    expect(readTestOutcome(after.output)).toMatchObject({ status: 'pass', failed: 0, passed: 4 })
  })

  it('is fixed by the script when its tool calls run for real', async () => {
    const root = await copySample()
    const real: Responder = async (name, args) => {
      const path = join(root, String(args.path ?? ''))
      if (name === 'list_files')
        return { content: (await readdir(root, { recursive: true })).sort().join('\n') }
      if (name === 'read_file') return { content: await readFile(path, 'utf8') }
      if (name === 'edit_file') {
        const source = await readFile(path, 'utf8')
        await writeFile(path, source.replace(String(args.old_string), String(args.new_string)))
        return { content: `Edited ${String(args.path)}` }
      }
      const run = await nodeTest(root)
      return { content: run.output, isError: !run.ok }
    }
    const steps = await playThrough(real)
    expect(steps).toHaveLength(6)
    expect(steps.at(-1)!.text).toContain('All 4 tests pass now.')
    expect((await nodeTest(root)).ok).toBe(true)
  })

  it('keeps the files the script names', async () => {
    const files = await readdir(SAMPLE_DIR, { recursive: true })
    for (const path of [SOURCE_PATH, TEST_PATH, 'package.json', 'README.md', 'PENGUIN.md']) {
      expect(files).toContain(path)
    }
  })
})
