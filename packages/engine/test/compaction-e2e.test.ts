/**
 * The context-management acceptance test: a real HTTP model (the mock server, spoken to by the
 * real `streamChat` and `openai` SDK) with a tiny window, and a 40-turn task whose every turn reads
 * a 2 KB file. Every request the server receives must fit the window, summaries included.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  assistantMessage,
  loadTokenCounter,
  type Message,
  type ResolvedModel,
  resolveModel,
  type TokenCounter,
  type ToolSpec,
  toolResultMessage,
  userMessage,
} from '@penguin-ai/llm'
import { type MockTurn, type RecordedRequest, startMockServer } from '@penguin-ai/mock-llm'
import { tempDir } from '@penguin-ai/testkit'
import { openWorkspace } from '@penguin-ai/tools'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  Engine,
  type EngineEvent,
  requestLimit,
  SUMMARY_MARKER,
  SUMMARY_SYSTEM_PROMPT,
} from '../src/index.js'

const WINDOW = 6_000
const MAX_OUTPUT = 500
const TURNS = 40

let o200k: TokenCounter
// Loading the o200k ranks (~150 MB) takes seconds on a busy machine, more than the default hook timeout.
beforeAll(async () => {
  o200k = await loadTokenCounter('gpt-4o')
}, 120_000)

/** A distinct, code-like file of about 2 KB. */
function moduleSource(n: number): string {
  const lines = [
    `// src/module-${n}.ts: fixture for the compaction test`,
    `export interface Record${n} { id: number; name: string; tags: string[] }`,
  ]
  for (let i = 0; lines.join('\n').length < 2_000; i++) {
    lines.push(
      `export function compute${n}x${i}(input: Record${n}): number {`,
      `  return input.id * ${i + n} + input.tags.length - ${n * 7 + i} // step ${i} of module ${n}`,
      '}',
    )
  }
  return `${lines.join('\n')}\n`
}

async function workspaceWithModules(): Promise<string> {
  const dir = await tempDir('penguin-compaction-')
  await mkdir(join(dir, 'src'))
  for (let n = 1; n <= TURNS; n++) await writeFile(join(dir, 'src', `module-${n}.ts`), moduleSource(n))
  return dir
}

/** A recorded Chat Completions body, back in the engine's own message types. */
function fromWire(request: RecordedRequest): { messages: Message[]; tools: ToolSpec[] } {
  const body = request.body!
  const names = new Map<string, string>()
  const messages = body.messages.map((wire): Message => {
    const content = typeof wire.content === 'string' ? wire.content : ''
    if (wire.role === 'assistant') {
      const toolCalls = (wire.tool_calls ?? []).map((call) => {
        names.set(call.id, call.function.name)
        return { id: call.id, name: call.function.name, arguments: call.function.arguments }
      })
      return assistantMessage(content, toolCalls)
    }
    if (wire.role === 'tool') {
      const id = wire.tool_call_id ?? ''
      return toolResultMessage({ id, name: names.get(id) ?? '' }, content)
    }
    return wire.role === 'system' ? { role: 'system', content } : userMessage(content)
  })
  const tools = (body.tools ?? []).map((tool) => ({
    name: tool.function.name,
    description: tool.function.description ?? '',
    parameters: (tool.function.parameters ?? {}) as Record<string, unknown>,
  }))
  return { messages, tools }
}

const sizes = new WeakMap<RecordedRequest, number>()

/** The request's size in o200k tokens, framing and tool schemas included (counted once per request). */
function requestTokens(request: RecordedRequest): number {
  let size = sizes.get(request)
  if (size === undefined) {
    const { messages, tools } = fromWire(request)
    size = o200k.countMessages(messages, tools)
    sizes.set(request, size)
  }
  return size
}

const isSummaryRequest = (request: RecordedRequest) =>
  !request.body?.tools?.length && request.body?.messages[0]?.content === SUMMARY_SYSTEM_PROMPT

function orphanResults(request: RecordedRequest): number {
  const called = new Set<string>()
  let orphans = 0
  for (const message of request.body!.messages) {
    for (const call of message.tool_calls ?? []) called.add(call.id)
    if (message.role === 'tool' && !called.has(message.tool_call_id ?? '')) orphans++
  }
  return orphans
}

const SUMMARY = [
  '## Goal',
  'Review every module in src/ ("review src/module-1.ts to src/module-40.ts, one at a time").',
  '## Decisions',
  'Read the modules in order; change nothing unless a bug is found.',
  '## Files touched',
  '- src/module-*.ts: read so far, no problems found',
  '## Todo state',
  'Continue with the next unread module.',
  '## Open problems',
  'none',
].join('\n')

/**
 * The model: summary requests (no tools, the summariser prompt) get a structured summary; every
 * other request reads the next module, until all are read. Usage is reported as a real provider
 * would, in o200k tokens of what was sent.
 */
function modelScript() {
  let turn = 0
  return (request: RecordedRequest): MockTurn => {
    const usage = { prompt_tokens: requestTokens(request), completion_tokens: 60 }
    if (isSummaryRequest(request)) return { text: SUMMARY, usage }
    turn++
    if (turn > TURNS) return { text: `Reviewed all ${TURNS} modules; nothing needs changing.`, usage }
    const previous = turn === 1 ? 'Starting the review.' : `src/module-${turn - 1}.ts looks fine.`
    return {
      text: `${previous} Next I read src/module-${turn}.ts and check its arithmetic helpers for off-by-one errors.`,
      toolCalls: [{ id: `call_${turn}`, name: 'read_file', arguments: { path: `src/module-${turn}.ts` } }],
      usage,
    }
  }
}

async function runTask(model: (url: string) => ResolvedModel) {
  const server = await startMockServer({ script: modelScript() })
  try {
    const workspace = await openWorkspace(await workspaceWithModules())
    const resolved = model(server.url)
    const engine = new Engine({
      model: resolved,
      workspace,
      autoApprove: true,
      maxIterations: TURNS + 10,
      callOptions: { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10, maxTotalDelayMs: 100 } },
    })
    const events: EngineEvent[] = []
    engine.subscribe((event) => events.push(event))
    const result = await engine.run(`Review src/module-1.ts to src/module-${TURNS}.ts, one at a time.`)
    const requests = server.requests.filter((request) => request.path.endsWith('/chat/completions'))
    return { result, events, requests, engine, limit: requestLimit(resolved.info, 0.8) }
  } finally {
    await server.close()
  }
}

/**
 * `limit`: what our own count must keep every request under. For an exact tokenizer it is the
 * compaction threshold itself; for an estimate, the threshold is only as good as the estimate, and
 * what must hold is the hard bound: the request plus room for the answer within the window.
 */
function expectEveryRequestFits(run: Awaited<ReturnType<typeof runTask>>, limit: number) {
  const { result, events, requests } = run
  expect(result.status).toBe('completed')
  expect(result.iterations).toBe(TURNS + 1)
  const reads = events.filter((event) => event.type === 'tool.finished' && event.tool === 'read_file')
  expect(reads).toHaveLength(TURNS)
  expect(reads.every((event) => event.type === 'tool.finished' && !event.isError)).toBe(true)

  // THE assertion: every request the model received fits the window, with room for the answer.
  const sizes = requests.map(requestTokens)
  for (const [index, size] of sizes.entries()) {
    expect(size, `request #${index}`).toBeLessThanOrEqual(limit)
    expect(size + MAX_OUTPUT, `request #${index}`).toBeLessThanOrEqual(WINDOW)
    expect(orphanResults(requests[index]!), `request #${index}`).toBe(0)
  }

  const summaries = requests.filter(isSummaryRequest)
  expect(summaries.length).toBeGreaterThanOrEqual(1)
  for (const request of summaries) expect(request.body?.tools).toBeUndefined()
  const compacted = events.filter((event) => event.type === 'context.compacted')
  expect(compacted.length).toBeGreaterThanOrEqual(1)
  expect(compacted.every((event) => event.type === 'context.compacted' && event.reason === 'threshold')).toBe(
    true,
  )

  // The final requests still carry the summary, right after the system prompt.
  const last = requests.at(-1)!.body!.messages
  expect(last[1]?.role).toBe('user')
  expect(String(last[1]?.content).startsWith(`${SUMMARY_MARKER}\n${SUMMARY}`)).toBe(true)

  // Summary calls are part of the run's usage: everything the provider billed, nothing else.
  const billed = requests.reduce((sum, request) => sum + requestTokens(request), 0)
  expect(result.usage.inputTokens).toBe(billed)
  return { sizes, summaries: summaries.length, compactions: compacted.length }
}

function report(
  label: string,
  run: Awaited<ReturnType<typeof runTask>>,
  figures: ReturnType<typeof expectEveryRequestFits>,
) {
  if (!process.env.PENGUIN_COMPACTION_REPORT) return
  const main = figures.sizes.filter((_, index) => !isSummaryRequest(run.requests[index]!))
  const summary = figures.sizes.filter((_, index) => isSummaryRequest(run.requests[index]!))
  console.log(
    `${label}: ${run.requests.length} requests, ${figures.summaries} summary calls, ${figures.compactions} compactions; ` +
      `largest request ${Math.max(...main)} tokens, largest summary request ${Math.max(...summary)}; ` +
      `limit ${run.limit}, window ${WINDOW}`,
  )
}

// Each test makes ~45 requests over HTTP and counts every one exactly in o200k: a few seconds of
// real work that a busy 2-core machine can stretch past the default 20 s.
describe('a 40-turn task in a 6,000-token window', { timeout: 120_000 }, () => {
  test('OpenAI-family model (exact o200k counts): every request fits', async () => {
    const run = await runTask((url) =>
      resolveModel('gpt-4o', { baseUrl: url, env: {}, contextWindow: WINDOW, maxOutputTokens: MAX_OUTPUT }),
    )
    const figures = expectEveryRequestFits(run, run.limit)
    // The window was actually used, not dodged by compacting far too early.
    expect(Math.max(...figures.sizes)).toBeGreaterThan(run.limit * 0.8)
    report('o200k', run, figures)
  })

  test('model without a known tokenizer (calibrated estimate): every request fits', async () => {
    const run = await runTask((url) =>
      resolveModel('local-coder', {
        baseUrl: url,
        env: {},
        contextWindow: WINDOW,
        maxOutputTokens: MAX_OUTPUT,
      }),
    )
    const figures = expectEveryRequestFits(run, WINDOW - MAX_OUTPUT)
    report('estimate', run, figures)
  })
})

/** About 30 KB of distinct lines, with a recognisable head and tail. */
function bigFile(n: number): string {
  const lines = [`HEAD of big-${n}.txt`]
  for (let i = 0; lines.join('\n').length < 30_000; i++) lines.push(`big ${n} line ${i}: value ${i * n}`)
  return `${lines.join('\n')}\nTAIL of big-${n}.txt\n`
}

// The newest turn's results cut to fit, nothing summarised: still a `context.compacted`, once.
describe('a turn whose results alone do not fit a 6,000-token window', { timeout: 120_000 }, () => {
  test('the truncation is reported without a summary, and an unchanged request reports nothing', async () => {
    const dir = await tempDir('penguin-truncation-')
    for (const n of [1, 2, 3]) await writeFile(join(dir, `big-${n}.txt`), bigFile(n))
    await writeFile(join(dir, 'small.txt'), 'a small file\n')
    let turn = 0
    const server = await startMockServer({
      script: (request): MockTurn => {
        const usage = { prompt_tokens: requestTokens(request), completion_tokens: 20 }
        turn++
        if (turn === 1) {
          return {
            text: 'Reading the three files.',
            toolCalls: [1, 2, 3].map((n) => ({
              id: `call_${n}`,
              name: 'read_file',
              arguments: { path: `big-${n}.txt` },
            })),
            usage,
          }
        }
        if (turn === 2)
          return {
            text: 'And the small one.',
            toolCalls: [{ id: 'call_4', name: 'read_file', arguments: { path: 'small.txt' } }],
            usage,
          }
        if (turn === 3)
          return {
            text: 'Once more.',
            toolCalls: [{ id: 'call_5', name: 'read_file', arguments: { path: 'small.txt' } }],
            usage,
          }
        return { text: 'Done.', usage }
      },
    })
    try {
      const model = resolveModel('gpt-4o', {
        baseUrl: server.url,
        env: {},
        contextWindow: WINDOW,
        maxOutputTokens: MAX_OUTPUT,
      })
      const engine = new Engine({ model, workspace: await openWorkspace(dir), autoApprove: true })
      const events: EngineEvent[] = []
      engine.subscribe((event) => events.push(event))
      const result = await engine.run('Read big-1.txt, big-2.txt and big-3.txt.')
      expect(result.status).toBe('completed')
      const requests = server.requests.filter((request) => request.path.endsWith('/chat/completions'))
      expect(requests.filter(isSummaryRequest)).toHaveLength(0)
      for (const request of requests) expect(requestTokens(request) + MAX_OUTPUT).toBeLessThanOrEqual(WINDOW)

      // Which request (turn) each compaction came before.
      const compacted = events.flatMap((event, index) => {
        if (event.type !== 'context.compacted') return []
        return [{ turn: events.slice(0, index).filter((e) => e.type === 'turn.started').length, event }]
      })
      const counts = ({ turn, event }: (typeof compacted)[number]) => ({
        turn,
        pruned: event.prunedOutputs,
        truncated: event.truncatedOutputs,
        summarised: event.summarisedMessages,
        kept: event.keptMessages,
        summary: event.summary,
      })
      // Turn 2: the three unread results cut to fit (user, assistant, three results all kept). Turn 3:
      // now read, they are pruned. Turn 4 is over nothing: no event.
      expect(compacted.map(counts)).toEqual([
        { turn: 2, pruned: 0, truncated: 3, summarised: 0, kept: 5, summary: undefined },
        { turn: 3, pruned: 3, truncated: 0, summarised: 0, kept: 7, summary: undefined },
      ])
      expect(requests).toHaveLength(4)
      const first = compacted[0]!.event
      expect(first).not.toHaveProperty('summary')
      expect(first.reason).toBe('threshold')
      expect(first.tokensBefore).toBeGreaterThan(WINDOW)
      expect(first.tokensAfter).toBe(requestTokens(requests[1]!))
      // Each file's head and tail reached the model.
      const second = JSON.stringify(requests[1]!.body!.messages)
      for (const n of [1, 2, 3]) {
        expect(second).toContain(`HEAD of big-${n}.txt`)
        expect(second).toContain(`TAIL of big-${n}.txt`)
      }
    } finally {
      await server.close()
    }
  })
})
