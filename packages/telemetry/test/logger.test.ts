import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api'
import { afterEach, describe, expect, test } from 'vitest'
import { childLogger, createLogger, createRedactor, LogLevelError, type Telemetry } from '../src/index.js'
import { testTelemetry } from './helpers.js'

function sink(isTTY = false) {
  const lines: string[] = []
  return { lines, destination: { isTTY, write: (text: string) => void lines.push(text) } }
}

let telemetry: Telemetry | undefined
afterEach(async () => {
  await telemetry?.shutdown()
  telemetry = undefined
})

const redactor = createRedactor({ env: { ANTHROPIC_API_KEY: 'sk-ant-planted-998877665544' } })

describe('createLogger', () => {
  test('JSON records with level, time, message, trace and span ids, session and run ids', async () => {
    telemetry = (await testTelemetry()).telemetry
    const { lines, destination } = sink()
    const logger = createLogger({ level: 'debug', destination, redactor, base: {} })
    const span = telemetry.tracer.startSpan('request')
    const run = childLogger(logger, { sessionId: 'ses_1', runId: 'run-9' })
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => run.info({ tool: 'grep' }, 'tool finished'))
    logger.debug('outside any span')
    span.end()
    const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(inside).toMatchObject({
      level: 'info',
      msg: 'tool finished',
      tool: 'grep',
      session_id: 'ses_1',
      run_id: 'run-9',
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    })
    expect(Date.parse(String(inside!.time))).not.toBeNaN()
    expect(outside).toMatchObject({ level: 'debug', msg: 'outside any span' })
    expect(outside!.trace_id).toBeUndefined()
  })

  test('secrets never reach a log line: message, fields, headers, errors', () => {
    const { lines, destination } = sink()
    const logger = createLogger({ destination, redactor })
    logger.info('calling with sk-ant-planted-998877665544')
    logger.info({ headers: { authorization: 'Token abc' }, note: 'Bearer abcdef123456' }, 'request')
    logger.error(new Error('bad key sk-ant-planted-998877665544'), 'failed')
    logger.warn({ err: new Error('pgn_0123456789abcdefghij rejected') }, 'auth')
    logger.info('format %s and %o', 'sk-ant-planted-998877665544', { key: 'sk-abcdef1234567890' })
    const all = lines.join('')
    expect(lines).toHaveLength(5)
    for (const secret of [
      'sk-ant-planted-998877665544',
      'Token abc',
      'abcdef123456',
      'pgn_0123456789',
      'sk-abcdef1234567890',
    ])
      expect(all).not.toContain(secret)
    expect(all).toContain('[REDACTED]')
    const failed = JSON.parse(lines[2]!) as { err: { type: string; message: string }; msg: string }
    expect(failed.err).toMatchObject({ type: 'Error', message: 'bad key [REDACTED]' })
    expect(failed.msg).toBe('failed')
  })

  test('pretty lines for a terminal, without worker threads', () => {
    const { lines, destination } = sink(true)
    const logger = createLogger({ destination, redactor, color: false })
    childLogger(logger, { runId: 'run-1' }).warn({ tokens: 12, note: 'two words' }, 'budget near')
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} WARN {2}budget near run_id=run-1 tokens=12 note="two words"\n$/,
    )
  })

  test('an unknown level is a typed error', () => {
    const saved = process.env.PENGUIN_LOG_LEVEL
    process.env.PENGUIN_LOG_LEVEL = 'loud'
    try {
      expect(() => createLogger({ destination: sink().destination })).toThrow(LogLevelError)
    } finally {
      if (saved === undefined) delete process.env.PENGUIN_LOG_LEVEL
      else process.env.PENGUIN_LOG_LEVEL = saved
    }
  })
})
