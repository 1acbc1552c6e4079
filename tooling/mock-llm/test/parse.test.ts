import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { optionsFromArgs } from '../src/cli-args.js'
import { parseScript, splitText } from '../src/index.js'

describe('parseScript', () => {
  it('accepts a JSON array of turns', () => {
    const turns = parseScript([
      { text: 'hi', usage: { prompt_tokens: 1, completion_tokens: 2 } },
      { toolCalls: [{ name: 'bash', arguments: { command: 'ls' } }], finishReason: 'tool_calls' },
      { fault: { status: 429, retryAfter: 1 } },
      { fault: { dropAfterChunks: 3 } },
      { fault: { hangup: true } },
    ])
    expect(turns).toHaveLength(5)
    expect(turns[2]?.fault).toEqual({ status: 429, retryAfter: 1 })
  })

  it('points at the bad turn', () => {
    expect(() => parseScript({})).toThrow(/JSON array/)
    expect(() => parseScript([{ text: 'ok' }, { text: 3 }])).toThrow(/turn\[1\]: text must be a string/)
    expect(() => parseScript([{ finishReason: 'done' }])).toThrow(/finishReason/)
    expect(() => parseScript([{ fault: {} }])).toThrow(/turn\[0\]\.fault/)
  })
})

describe('splitText', () => {
  it('splits into the asked number of non-empty pieces that join back', () => {
    expect(splitText('abcdefg', 3)).toEqual(['ab', 'cd', 'efg'])
    expect(splitText('ab', 5)).toEqual(['a', 'b'])
    expect(splitText('', 3)).toEqual([])
  })
})

describe('CLI arguments', () => {
  it('reads the script file and options', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-llm-'))
    const file = join(dir, 'script.json')
    await writeFile(file, JSON.stringify([{ text: 'hello' }]))
    const options = await optionsFromArgs([
      '--script',
      file,
      '--port',
      '0',
      '--api-key',
      'k',
      '--models',
      'a, b',
    ])
    expect(options).toEqual({ script: [{ text: 'hello' }], port: 0, requireApiKey: 'k', models: ['a', 'b'] })
    expect(await optionsFromArgs(['--help'])).toBeUndefined()
  })

  it('rejects bad arguments with readable messages', async () => {
    await expect(optionsFromArgs(['--port', 'x'])).rejects.toThrow(/--port/)
    await expect(optionsFromArgs(['--bogus'])).rejects.toThrow()
    const dir = await mkdtemp(join(tmpdir(), 'mock-llm-'))
    const file = join(dir, 'bad.json')
    await writeFile(file, '[{')
    await expect(optionsFromArgs(['--script', file])).rejects.toThrow(/not valid JSON/)
  })
})
