/**
 * Compaction through the real CLI: a catalogue-known model (`openai/gpt-4o`, counted exactly with
 * o200k) whose window the user lowered to 6,000 tokens, and a task that reads fourteen files of
 * about 1,700 tokens, one per turn, against the mock server over HTTP. Every file must reach the
 * model verbatim (compaction never summarises what the model has not read), summaries must be rare
 * (the compacted conversation leaves headroom), no request may pass the window, and a new process
 * with `--continue` must start from the compacted conversation.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ContextCompaction, SUMMARY_MARKER, SUMMARY_SYSTEM_PROMPT } from '@penguin-ai/engine'
import {
  assistantMessage,
  loadTokenCounter,
  type Message,
  type TokenCounter,
  type ToolSpec,
  toolResultMessage,
  userMessage,
} from '@penguin-ai/llm'
import { type MockServer, type MockTurn, type RecordedRequest, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import { jsonLines, makeRepo, runPenguin } from './cli-helpers.js'

const WINDOW = 6_000
/** What the engine reserves for the answer: min(gpt-4o's 16,384 output tokens, a quarter of the window). */
const CEILING = WINDOW - WINDOW / 4
const FILES = 14
const FILE_TOKENS = 1_700

let o200k: TokenCounter
// Loading the o200k ranks takes seconds on a busy machine: a hook of its own, with room for that.
beforeAll(async () => {
  o200k = await loadTokenCounter('gpt-4o')
}, 300_000)

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

const fileName = (n: number) => `src/part-${String(n).padStart(2, '0')}.ts`

/** A distinct, code-like file of at least FILE_TOKENS o200k tokens. */
function fileContent(n: number): string {
  const lines = [`// ${fileName(n)}: ledger rules, part ${n}`]
  for (let i = 0; o200k.count(lines.join('\n')) < FILE_TOKENS; i++) {
    lines.push(
      `export function rule${n}x${i}(entry: { amount: number; days: number }): number {`,
      `  return entry.amount * ${(n * 31 + i * 7) % 97} - entry.days * ${i + n} // rule ${i} of part ${n}`,
      '}',
    )
  }
  return `${lines.join('\n')}\n`
}

interface WireMessage {
  role: string
  content?: unknown
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>
  tool_call_id?: string
}

const wireMessages = (request: RecordedRequest) => (request.body?.messages ?? []) as WireMessage[]
const text = (message: WireMessage | undefined) =>
  typeof message?.content === 'string' ? message.content : ''

const isSummaryRequest = (request: RecordedRequest) =>
  !request.body?.tools?.length && text(wireMessages(request)[0]) === SUMMARY_SYSTEM_PROMPT

/** The request's size in o200k tokens, counted the way the engine counts (framing and tool schemas included). */
function requestTokens(request: RecordedRequest): number {
  const messages = wireMessages(request).map((wire): Message => {
    if (wire.role === 'assistant') {
      const toolCalls = (wire.tool_calls ?? []).map((call) => ({
        id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
      }))
      return assistantMessage(text(wire), toolCalls)
    }
    if (wire.role === 'tool')
      return toolResultMessage({ id: wire.tool_call_id ?? '', name: 'read_file' }, text(wire))
    return wire.role === 'system' ? { role: 'system', content: text(wire) } : userMessage(text(wire))
  })
  const tools: ToolSpec[] = (request.body?.tools ?? []).map((tool) => ({
    name: tool.function.name,
    description: tool.function.description ?? '',
    parameters: (tool.function.parameters ?? {}) as Record<string, unknown>,
  }))
  return o200k.countMessages(messages, tools)
}

/** read_file's output without its line numbers: the file's text exactly as the model saw it. */
const withoutLineNumbers = (output: string) =>
  `${output
    .split('\n')
    .map((line) => line.replace(/^ *\d+\t/, ''))
    .join('\n')}\n`

const SUMMARY = [
  '## Goal',
  `Read ${fileName(1)} to ${fileName(FILES)}, one at a time, and report the rules they define.`,
  '## Decisions',
  'Read the parts in order; change nothing.',
  '## Files touched',
  '- src/part-*.ts: read so far, arithmetic rules only',
  '## Todo state',
  'Continue with the next unread part.',
  '## Open problems',
  'none',
].join('\n')

/**
 * The model: summary requests get a structured summary; every other request of the first run reads
 * the next file (the file it asks for is the one after the last it read), then answers.
 */
function modelScript() {
  let read = 0
  return (request: RecordedRequest): MockTurn => {
    if (isSummaryRequest(request)) return { text: SUMMARY }
    if (read >= FILES) return { text: `All ${FILES} parts define arithmetic rules; nothing else.` }
    read++
    return {
      text: read === 1 ? 'Starting with the first part.' : `Part ${read - 1} read. Next, part ${read}.`,
      toolCalls: [{ id: `call_${read}`, name: 'read_file', arguments: { path: fileName(read) } }],
    }
  }
}

function orphanResults(request: RecordedRequest): number {
  const called = new Set<string>()
  let orphans = 0
  for (const message of wireMessages(request)) {
    for (const call of message.tool_calls ?? []) called.add(call.id)
    if (message.role === 'tool' && !called.has(message.tool_call_id ?? '')) orphans++
  }
  return orphans
}

describe('compaction through the CLI', () => {
  // Two CLI processes, each loading the o200k tokenizer, and ~20 model requests over HTTP: seconds
  // of real work that a busy 2-core machine can stretch well past the default timeout.
  test('a 6,000-token window and fourteen 1,700-token reads: every file verbatim, few summaries, --continue resumes compacted', {
    timeout: 300_000,
  }, async () => {
    const files: Record<string, string> = {
      '.penguin/config.json': JSON.stringify({ contextWindow: WINDOW }),
    }
    for (let n = 1; n <= FILES; n++) files[fileName(n)] = fileContent(n)
    const repo = await makeRepo(files)
    mock = await startMockServer({ script: modelScript() })
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
    const env = { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: db }
    const run = (...args: string[]) =>
      runPenguin(['run', '--model', 'openai/gpt-4o', '--base-url', mock!.url, '--yes', '--json', ...args], {
        env,
        cwd: repo,
        timeoutMs: 120_000,
      })

    const task = `Read ${fileName(1)} to ${fileName(FILES)}, one at a time, and report what they define.`
    const first = await run(task)
    expect(first.code, first.stderr).toBe(0)
    const events = jsonLines(first.stdout)
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed', iterations: FILES + 1 })
    const requests = [...mock.requests]
    const main = requests.filter((request) => !isSummaryRequest(request))
    const summaries = requests.filter(isSummaryRequest)

    // Every file reached the model verbatim, as the newest tool result of some request.
    for (let n = 1; n <= FILES; n++) {
      const content = files[fileName(n)]!
      const seen = main.some((request) =>
        wireMessages(request).some(
          (message) => message.role === 'tool' && withoutLineNumbers(text(message)) === content,
        ),
      )
      expect(seen, `${fileName(n)} reached the model verbatim`).toBe(true)
    }

    // Summaries are rare: the compacted conversation leaves room for several turns.
    expect(summaries.length).toBeGreaterThanOrEqual(1)
    expect(summaries.length).toBeLessThanOrEqual(4)

    // No request passes the window (nor the room left for the answer); no result lost its call.
    for (const [index, request] of requests.entries()) {
      const size = requestTokens(request)
      expect(size, `request #${index}`).toBeLessThanOrEqual(CEILING)
      expect(orphanResults(request), `request #${index}`).toBe(0)
    }

    // The events say what each compaction did.
    const compactions = events.filter(
      (event) => event.type === 'context.compacted',
    ) as unknown as ContextCompaction[]
    const summarised = compactions.filter((compaction) => compaction.summary !== undefined)
    expect(summarised.length).toBeGreaterThanOrEqual(1)
    expect(summarised.length).toBeLessThanOrEqual(summaries.length)
    for (const compaction of compactions) {
      expect(compaction).toMatchObject({ reason: 'threshold', truncatedOutputs: 0 })
      expect(compaction.tokensAfter).toBeLessThan(compaction.tokensBefore)
      if (compaction.summary === undefined) {
        // Older outputs pruned, nothing summarised: every message kept.
        expect(compaction.summarisedMessages).toBe(0)
        expect(compaction.prunedOutputs).toBeGreaterThan(0)
      } else {
        expect(compaction.summary).toBe(SUMMARY)
        expect(compaction.summarisedMessages).toBeGreaterThan(0)
        expect(compaction.prunedOutputs).toBeGreaterThanOrEqual(0)
      }
    }
    // Not on every request: only those that were cut down.
    expect(compactions.length).toBeLessThan(main.length)

    if (process.env.PENGUIN_COMPACTION_REPORT) {
      const sizes = main.map(requestTokens)
      console.log(
        `${requests.length} requests, ${summaries.length} summary calls; main request sizes ${sizes.join(' ')}; ` +
          `compactions ${JSON.stringify(compactions.map(({ summary: _, ...facts }) => facts))}`,
      )
    }

    // A new process continues from the compacted conversation: the summary, not the early turns.
    const before = mock.requests.length
    const second = await run('--continue', 'Which part defines the most rules?')
    expect(second.code, second.stderr).toBe(0)
    const resumed = mock.requests[before]!
    expect(isSummaryRequest(resumed)).toBe(false)
    const messages = wireMessages(resumed)
    expect(text(messages[1]).startsWith(`${SUMMARY_MARKER}\n${SUMMARY}`)).toBe(true)
    // The task and the first files went into the summary; their text is not sent again.
    expect(messages.some((message) => text(message) === task)).toBe(false)
    const firstLine = files[fileName(1)]!.split('\n')[0]!
    expect(messages.some((message) => text(message).includes(firstLine))).toBe(false)
    expect(text(messages.at(-1))).toBe('Which part defines the most rules?')
    expect(requestTokens(resumed)).toBeLessThanOrEqual(CEILING)
    expect(orphanResults(resumed)).toBe(0)
  })
})
