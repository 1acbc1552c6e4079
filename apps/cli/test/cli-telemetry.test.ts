/**
 * `penguin run --trace FILE` and OTLP export end to end, and the redaction guarantee: a planted key
 * must not appear in anything a run produces.
 */

import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'

interface SpanJson {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: string
  startTime: string
  endTime: string
  attributes: Record<string, unknown>
  status: { code: string; message?: string }
  events: unknown[]
}

let mock: MockServer | undefined
let collector: Server | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
  await new Promise((resolve) => (collector ? collector.close(resolve) : resolve(undefined)))
  collector = undefined
})

/** A stand-in OTLP/HTTP collector on loopback that keeps every body it is sent. */
async function startCollector(): Promise<{ url: string; bodies: Map<string, string[]> }> {
  const bodies = new Map<string, string[]>()
  collector = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      body += chunk
    })
    request.on('end', () => {
      bodies.set(request.url ?? '', [...(bodies.get(request.url ?? '') ?? []), body])
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => collector!.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`, bodies }
}

function runArgs(server: MockServer, ...rest: string[]): string[] {
  return ['run', '--model', 'openai/gpt-4o', '--base-url', server.url, ...rest]
}

describe('penguin run --trace', () => {
  test('writes the run’s spans as JSON: a run span with model-call and tool-call children', async () => {
    const repo = await makeRepo({ 'notes.txt': 'remember the milk\n' })
    mock = await startMockServer({
      script: [
        { text: 'Reading.', toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] },
        { text: 'It says to remember the milk.', usage: { prompt_tokens: 300, completion_tokens: 9 } },
      ],
    })
    const trace = join(repo, 'trace.json')
    const result = await runPenguin(runArgs(mock, '--cwd', repo, '--trace', trace, 'what do my notes say?'), {
      env: { OPENAI_API_KEY: 'sk-test-123', PENGUIN_DB: join(repo, 'p.db') },
    })
    expect(result.code).toBe(0)
    const spans = JSON.parse(await readFile(trace, 'utf8')) as SpanJson[]
    expect(spans.map((span) => span.name)).toEqual([
      'invoke_agent penguin',
      'chat gpt-4o',
      'execute_tool read_file',
      'chat gpt-4o',
    ])
    const [run, ...children] = spans
    expect(run!.parentSpanId).toBeUndefined()
    expect(run!.attributes).toMatchObject({
      'penguin.run.status': 'completed',
      'gen_ai.conversation.id': expect.stringMatching(/^ses_/),
      'penguin.run.prompt': 'what do my notes say?',
    })
    for (const child of children) {
      expect(child.parentSpanId).toBe(run!.spanId)
      expect(child.traceId).toBe(run!.traceId)
      expect(Number.isNaN(Date.parse(child.startTime))).toBe(false)
    }
    expect(children[2]!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 300,
      'gen_ai.usage.output_tokens': 9,
      'gen_ai.response.finish_reasons': ['stop'],
    })
    expect(children[1]!.attributes['gen_ai.tool.call.result']).toContain('remember the milk')
  })

  test('a trace file in a missing folder is a usage error before anything runs', async () => {
    mock = await startMockServer({ script: [{ text: 'never' }] })
    const result = await runPenguin(runArgs(mock, '--trace', '/no/such/dir/trace.json', 'hi'), {
      env: { OPENAI_API_KEY: 'sk-test-123' },
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--trace .*no such directory/)
    expect(mock.requests).toHaveLength(0)
  })
})

/**
 * Which modules a `penguin` process loaded: CommonJS ones (the OpenTelemetry SDK and pino are
 * CommonJS) and ES modules, recorded by a loader hook. A loaded file with a source map beside it
 * (the bundle's chunks) counts as every source it was built from.
 */
async function loadedModules(args: string[], env: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-probe-'))
  const probe = join(dir, 'probe.mjs')
  const out = join(dir, 'loaded.txt')
  const esm = join(dir, 'loaded-esm.txt')
  const hooks = `import { appendFileSync } from 'node:fs'\nexport async function load(url, context, next) {\n  appendFileSync(${JSON.stringify(esm)}, url + '\\n')\n  return next(url, context)\n}\n`
  await writeFile(
    probe,
    `import { createRequire, register } from 'node:module'\nimport { writeFileSync } from 'node:fs'\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)})\nconst require = createRequire(import.meta.url)\nprocess.on('exit', () => writeFileSync(${JSON.stringify(out)}, Object.keys(require.cache).join('\\n')))\n`,
  )
  await runPenguin(args, { env: { ...env, NODE_OPTIONS: `--import=${probe}` } })
  const files = [
    ...(await readFile(out, 'utf8')).split('\n'),
    ...(await readFile(esm, 'utf8').catch(() => ''))
      .split('\n')
      .filter((url) => url.startsWith('file:'))
      .map((url) => fileURLToPath(url)),
  ]
  const modules: string[] = []
  for (const file of new Set(files)) {
    modules.push(file)
    const map = await readFile(`${file}.map`, 'utf8').catch(() => undefined)
    if (map) modules.push(...(JSON.parse(map) as { sources: string[] }).sources)
  }
  return modules
}

describe('telemetry off', () => {
  test('neither --version nor a run without --trace or OTEL_* loads the OpenTelemetry SDK', async () => {
    const otel = (modules: string[]) =>
      modules.filter((path) => /[\\/]@opentelemetry[\\/]|[\\/]pino[\\/]/.test(path))
    expect(otel(await loadedModules(['--version'], {}))).toEqual([])
    const repo = await makeRepo({ 'a.txt': 'a\n' })
    mock = await startMockServer({ script: [{ text: 'Hi.' }, { text: 'Hi.' }] })
    const env = { OPENAI_API_KEY: 'sk-test-123', PENGUIN_DB: join(repo, 'p.db') }
    expect(otel(await loadedModules(runArgs(mock, '--cwd', repo, 'hi'), env))).toEqual([])
    // The probe does see them when telemetry is on.
    const traced = await loadedModules(
      runArgs(mock, '--cwd', repo, '--trace', join(repo, 't.json'), 'hi'),
      env,
    )
    expect(otel(traced).some((path) => path.includes('sdk-trace'))).toBe(true)
  })
})

describe('redaction', () => {
  const PLANTED = 'sk-planted-7f3a9c2e5b1d4086'
  const BEARER = 'planted-bearer-4d81f0e2c9a7'
  const OTHER = 'otherSecretValue-5566778899'

  test('a planted key appears nowhere a run writes: stdout, stderr, trace file, OTLP exports', async () => {
    const repo = await makeRepo({
      'config.txt': `api_key=${PLANTED}\nAuthorization: Bearer ${BEARER}\nother=${OTHER}\n`,
    })
    const otlp = await startCollector()
    const script: MockTurn[] = [
      {
        text: 'Let me read the config.',
        toolCalls: [{ name: 'read_file', arguments: { path: 'config.txt' } }],
      },
      {
        toolCalls: [
          {
            name: 'write_file',
            arguments: {
              path: 'copy.txt',
              content: `key ${PLANTED}, header Authorization: Bearer ${BEARER}`,
            },
          },
        ],
      },
      { toolCalls: [{ name: 'read_file', arguments: { path: 'missing-file.txt' } }] },
      { text: 'I copied the configuration.' },
    ]
    mock = await startMockServer({ script })
    const trace = join(repo, 'trace.json')
    const env = {
      OPENAI_API_KEY: PLANTED,
      DEPLOY_SECRET: OTHER,
      PENGUIN_DB: join(repo, 'p.db'),
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
    }
    const task = `Copy config.txt (it has ${PLANTED} and Authorization: Bearer ${BEARER}, and ${OTHER})`
    const ok = await runPenguin(runArgs(mock, '--yes', '--cwd', repo, '--trace', trace, task), { env })
    expect(ok.code).toBe(0)

    // A provider error that echoes the key back, as OpenAI's 401 does.
    mock = await startMockServer({
      script: [{ fault: { status: 401, message: `Incorrect API key provided: ${PLANTED}.` } }],
    })
    const failedTrace = join(repo, 'failed-trace.json')
    const failed = await runPenguin(runArgs(mock, '--cwd', repo, '--trace', failedTrace, task), { env })
    expect(failed.code).toBe(1)

    const traces = [await readFile(trace, 'utf8'), await readFile(failedTrace, 'utf8')]
    const exported = [...otlp.bodies.values()].flat()
    const produced = [ok.stdout, ok.stderr, failed.stdout, failed.stderr, ...traces, ...exported]
    // The content was there to leak: captured, then redacted.
    expect(traces[0]).toContain('gen_ai.tool.call.result')
    expect(traces[0]).toContain('[REDACTED]')
    expect(traces[1]).toContain('rejected the API key')
    expect(otlp.bodies.get('/v1/traces')?.join('')).toContain('invoke_agent penguin')
    expect(otlp.bodies.get('/v1/metrics')?.join('')).toContain('penguin.runs')
    for (const text of produced) {
      expect(text).not.toContain(PLANTED)
      expect(text).not.toContain(BEARER)
      expect(text).not.toContain(OTHER)
    }
  })
})
