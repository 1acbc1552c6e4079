import { describe, expect, test } from 'vitest'
import { costScoreChart, createReporter } from '../src/index.js'

function sink(isTTY: boolean) {
  let text = ''
  const write = (chunk: string) => {
    text += chunk
  }
  return { isTTY, write, text: () => text }
}

const item = {
  id: 'HumanEval/0',
  ok: true,
  status: 'passed',
  costUsd: 0.001,
  record: { task_id: 'HumanEval/0' },
}
const start = { benchmark: 'humaneval', model: 'openai/gpt-4o', total: 1, skipped: 0, outDir: '/tmp/x' }

describe('progress and reports', () => {
  test('a terminal gets a redrawn progress bar, then the table on stdout', () => {
    const stdout = sink(true)
    const stderr = sink(true)
    const reporter = createReporter({ json: false, stdout, stderr })
    reporter.start(start)
    reporter.item(item)
    reporter.finish(
      [
        ['metric', 'value'],
        ['pass@1', '1.000'],
      ],
      {},
    )
    expect(stderr.text()).toContain('\r\u001b[K')
    expect(stderr.text()).toMatch(/█+ 1\/1 · 1 solved/)
    expect(stdout.text()).toBe('metric  value\n------  -----\npass@1  1.000\n')
  })

  test('elsewhere one plain line per item', () => {
    const stderr = sink(false)
    const reporter = createReporter({ json: false, stdout: sink(false), stderr })
    reporter.start(start)
    reporter.item(item)
    expect(stderr.text()).toContain('✓ HumanEval/0 passed (1/1)\n')
    expect(stderr.text()).not.toContain('\r')
  })

  test('--json prints only JSON lines on stdout', () => {
    const stdout = sink(false)
    const stderr = sink(false)
    const reporter = createReporter({ json: true, stdout, stderr })
    reporter.start(start)
    reporter.item(item)
    reporter.finish([], { score: 1 })
    expect(stderr.text()).toBe('')
    const types = stdout
      .text()
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type)
    expect(types).toEqual(['bench.started', 'bench.result', 'bench.summary'])
  })

  test('the chart is a standalone SVG with one point per run and escaped labels', () => {
    const svg = costScoreChart('t', 'pass@1', [
      { label: 'a<b', costUsd: 0.5, score: 0.8 },
      { label: 'current', costUsd: 1.2, score: 0.9, current: true },
    ])
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.match(/<circle/g)).toHaveLength(2)
    expect(svg).toContain('a&#60;b')
    expect(svg).not.toContain('a<b')
  })
})
