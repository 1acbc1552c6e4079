import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { userMessage } from '@penguin-ai/llm'
import { describe, expect, test } from 'vitest'
import {
  fifo,
  git,
  parsePrometheusText,
  scriptedStream,
  tempDir,
  tempRepo,
  testModel,
  until,
  whenChanged,
  within,
} from '../src/index.js'

describe('waits', () => {
  test('until resolves once the check holds, and names what it waited for when it never does', async () => {
    let n = 0
    await until(() => ++n >= 3)
    expect(n).toBe(3)
    await expect(until(() => false, { timeoutMs: 1, what: 'nothing' })).rejects.toThrow(
      /timed out after 1 ms waiting for nothing/,
    )
  })

  test('within passes a value or an error through, and bounds a promise that never settles', async () => {
    expect(await within(Promise.resolve(7), 'seven')).toBe(7)
    await expect(within(Promise.reject(new Error('boom')), 'x')).rejects.toThrow('boom')
    await expect(within(new Promise(() => undefined), 'forever', 1)).rejects.toThrow(/waiting for forever/)
  })

  test('whenChanged asks again on every change and unsubscribes', async () => {
    const listeners = new Set<() => void>()
    let value = 0
    const subscribe = (listener: () => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
    const done = whenChanged(subscribe, () => value === 2, 'value 2')
    value = 1
    for (const listener of [...listeners]) listener()
    value = 2
    for (const listener of [...listeners]) listener()
    await done
    expect(listeners.size).toBe(0)
  })
})

describe('fifo', () => {
  test('gives the first line, then ends once every process holding it has exited', async () => {
    const pipe = fifo(tempDir())
    // The shell holds fd 3 and so does its background child; both must be gone for the end.
    const child = spawn('sh', ['-c', `exec 3>"$1"; sleep 1000 & echo "$!" >&3; wait`, 'sh', pipe.path], {
      stdio: 'ignore',
    })
    const sleeper = Number(await pipe.firstLine())
    expect(sleeper).toBeGreaterThan(0)
    let closed = false
    const ended = pipe.closed().then(() => {
      closed = true
    })
    process.kill(sleeper, 'SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    await ended
    expect(closed).toBe(true)
  })

  test('release unblocks a reader no writer ever came to', () => {
    const pipe = fifo(tempDir())
    pipe.release()
    expect(pipe.text()).toBe('')
  })
})

describe('temp trees and repositories', () => {
  test('tempRepo commits the files on main', () => {
    const repo = tempRepo({ 'a/b.txt': 'hi\n' })
    expect(readFileSync(join(repo, 'a/b.txt'), 'utf8')).toBe('hi\n')
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('main')
    expect(git(repo, 'log', '--format=%s').trim()).toBe('initial')
    expect(existsSync(tempDir())).toBe(true)
  })
})

describe('scripted model', () => {
  test('plays its steps as the stream contract, records requests, fails or answers when exhausted', async () => {
    const { stream, requests } = scriptedStream([
      { text: 'hello there', calls: [{ name: 'read_file', args: { path: 'a' } }] },
    ])
    const request = { messages: [userMessage('hi')] }
    const events = []
    for await (const event of stream(testModel(), request)) events.push(event.type)
    expect(events).toEqual([
      'text_delta',
      'text_delta',
      'tool_call_start',
      'tool_call_delta',
      'tool_call_delta',
      'tool_call_end',
      'usage',
      'done',
    ])
    expect(requests).toHaveLength(1)
    await expect(async () => {
      for await (const _ of stream(testModel(), request)) void _
    }).rejects.toThrow('script exhausted')
    const fallback = scriptedStream([], { whenExhausted: { text: 'done' } })
    const last = []
    for await (const event of fallback.stream(testModel(), request)) last.push(event)
    expect(last.at(-1)).toMatchObject({ type: 'done', stopReason: 'stop' })
  })
})

describe('prometheus text', () => {
  test('parses families and rejects a malformed line', () => {
    const families = parsePrometheusText('# HELP up Up.\n# TYPE up gauge\nup{job="x"} 1\n')
    expect(families.get('up')).toMatchObject({ type: 'gauge', samples: [{ labels: { job: 'x' }, value: 1 }] })
    expect(() => parsePrometheusText('not a sample line at all {\n')).toThrow()
  })
})
