/**
 * How much of a multi-turn session's input the providers' prompt caches serve, and what that saves.
 * A scripted session — several prompts, each a few tool calls on a real workspace and an answer —
 * runs through the real engine, the real adapters and official SDKs against `@penguin-ai/mock-llm`
 * over HTTP, whose simulated caches follow each provider's rules (Anthropic: prefixes up to the
 * request's `cache_control` breakpoints; OpenAI: automatic, in 128-token steps past 1,024). The
 * figures are the mock's usage reports, which the engine also reads: nothing here is estimated.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Engine } from '@penguin-ai/engine'
import {
  addUsage,
  computeCost,
  costWithoutCache,
  emptyUsage,
  resolveModel,
  type Usage,
} from '@penguin-ai/llm'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { openWorkspace } from '@penguin-ai/tools'

export type CacheWire = 'anthropic' | 'responses'

export interface PromptCacheFigures {
  wire: CacheWire
  model: string
  /** Model requests in the session. */
  requests: number
  /** User prompts the requests answered. */
  prompts: number
  /** Input tokens over every request (fresh, read from and written to the cache). */
  inputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  /** cacheReadTokens / inputTokens. */
  cacheShare: number
  /** USD at the catalogue's prices, with the cache's prices and as if every input token were fresh. */
  costWithCache: number
  costWithoutCache: number
}

export interface PromptCacheOptions {
  wire: CacheWire
  /** Model requests in the session (default 30): split into prompts of five requests each. */
  turns?: number
}

const MODELS: Record<CacheWire, string> = {
  anthropic: 'anthropic/claude-sonnet-4-5',
  responses: 'openai/gpt-5',
}

const REQUESTS_PER_PROMPT = 5

/** A small project to work on: a few modules and their tests, a README. */
function projectFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'README.md': `# inventory\n\nTracks stock levels.\n\n${'Each item has a SKU, a name and a count. '.repeat(20)}\n`,
    'package.json': JSON.stringify({ name: 'inventory', type: 'module', scripts: { test: 'node --test' } }),
  }
  for (const name of ['stock', 'orders', 'pricing', 'report', 'sku', 'audit']) {
    const body = Array.from(
      { length: 30 },
      (_, i) =>
        `export function ${name}Step${i}(items) {\n  return items.filter((item) => item.count > ${i}).map((item) => ({ ...item, step: ${i} }))\n}\n`,
    ).join('\n')
    files[`src/${name}.js`] = body
    files[`test/${name}.test.js`] =
      `import { test } from 'node:test'\nimport assert from 'node:assert/strict'\nimport { ${name}Step1 } from '../src/${name}.js'\n\ntest('${name}', () => assert.deepEqual(${name}Step1([]), []))\n`
  }
  return files
}

/** Prompt `p`'s requests: look around (list, grep, read two files), then answer. */
function promptScript(p: number): MockTurn[] {
  const names = ['stock', 'orders', 'pricing', 'report', 'sku', 'audit']
  const a = names[p % names.length]!
  const b = names[(p + 1) % names.length]!
  return [
    {
      reasoning: `Where is ${a} handled? List the sources first.`,
      text: 'Looking around.',
      toolCalls: [{ name: 'list_files', arguments: { path: 'src' } }],
    },
    {
      reasoning: `Find the callers of ${a}Step3.`,
      toolCalls: [{ name: 'grep', arguments: { pattern: `${a}Step3`, path: '.' } }],
    },
    {
      reasoning: `Read ${a}.`,
      toolCalls: [{ name: 'read_file', arguments: { path: `src/${a}.js` } }],
    },
    {
      reasoning: `Compare with ${b}.`,
      toolCalls: [{ name: 'read_file', arguments: { path: `src/${b}.js`, limit: 40 } }],
    },
    {
      reasoning: 'Enough to answer.',
      text: `${a} filters items by count at each step; ${b} does the same with its own steps.`,
    },
  ]
}

async function makeWorkspace(root: string): Promise<string> {
  const dir = join(root, 'inventory')
  for (const [path, text] of Object.entries(projectFiles())) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  return dir
}

function sessionEngine(
  wire: CacheWire,
  mock: MockServer,
  workspace: Awaited<ReturnType<typeof openWorkspace>>,
) {
  const model =
    wire === 'anthropic'
      ? resolveModel(MODELS.anthropic, { baseUrl: mock.root, env: { ANTHROPIC_API_KEY: 'bench' } })
      : resolveModel(MODELS.responses, {
          baseUrl: mock.url,
          api: 'responses',
          env: { OPENAI_API_KEY: 'bench' },
        })
  return new Engine({
    model,
    workspace,
    reasoning: 'low',
    cacheKey: `ses_bench_${wire}`,
    callOptions: { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalDelayMs: 1 } },
  })
}

/** Runs the scripted session on one wire and reads the cache figures off the mock's usage reports. */
export async function measurePromptCache(options: PromptCacheOptions): Promise<PromptCacheFigures> {
  const turns = options.turns ?? 30
  const prompts = Math.max(1, Math.ceil(turns / REQUESTS_PER_PROMPT))
  const script = Array.from({ length: prompts }, (_, p) => promptScript(p))
    .flat()
    .slice(0, turns)
  const root = await mkdtemp(join(tmpdir(), 'penguin-bench-cache-'))
  const mock = await startMockServer({ script })
  try {
    const engine = sessionEngine(options.wire, mock, await openWorkspace(await makeWorkspace(root)))
    let usage: Usage = emptyUsage()
    engine.subscribe((event) => {
      if (event.type === 'usage') usage = addUsage(usage, event.usage)
    })
    for (let p = 0; p < prompts && mock.remaining() > 0; p++) {
      const result = await engine.run(`Question ${p + 1}: how does the code handle stock levels?`)
      if (result.status !== 'completed')
        throw new Error(`the scripted session stopped: ${result.status} ${result.error?.message ?? ''}`)
    }
    const reported = mock.requests.flatMap((request) => (request.usage ? [request.usage] : []))
    if (reported.length !== turns)
      throw new Error(`expected ${turns} model requests, the mock answered ${reported.length}`)
    const sum = (key: 'input' | 'cacheRead' | 'cacheWrite') =>
      reported.reduce((total, u) => total + u[key], 0)
    if (sum('input') !== usage.inputTokens || sum('cacheRead') !== usage.cacheReadTokens)
      throw new Error('the engine read different usage than the mock reported')
    const info = engine.model.info
    return {
      wire: options.wire,
      model: engine.model.id,
      requests: reported.length,
      prompts,
      inputTokens: usage.inputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      cacheShare: usage.inputTokens ? usage.cacheReadTokens / usage.inputTokens : 0,
      costWithCache: computeCost(info, usage),
      costWithoutCache: costWithoutCache(info, usage),
    }
  } finally {
    await mock.close()
    await rm(root, { recursive: true, force: true })
  }
}
