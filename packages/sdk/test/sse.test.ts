import { describe, expect, test } from 'vitest'
import { type SseMessage, SseParser } from '../src/sse.js'

function parseAll(chunks: string[], parser = new SseParser()): SseMessage[] {
  return chunks.flatMap((chunk) => parser.push(chunk))
}

const STREAM =
  ': hello\n\nid: 1\nevent: text.delta\ndata: {"delta":"Hel"}\n\n' +
  'id: 2\nevent: text.delta\ndata: {"delta":"lo"}\n\n' +
  ': ping\n\n' +
  'id: 3\nevent: run.finished\ndata: {"a":1,\ndata: "b":2}\n\n'

const EXPECTED: SseMessage[] = [
  { id: '1', event: 'text.delta', data: '{"delta":"Hel"}' },
  { id: '2', event: 'text.delta', data: '{"delta":"lo"}' },
  { id: '3', event: 'run.finished', data: '{"a":1,\n"b":2}' },
]

describe('SseParser', () => {
  test('parses events, ids, comments and multi-line data', () => {
    expect(parseAll([STREAM])).toEqual(EXPECTED)
  })

  test('gives the same messages wherever the chunks are cut', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      for (const j of [i, Math.min(STREAM.length, i + 1), Math.min(STREAM.length, i + 7)]) {
        const chunks = [STREAM.slice(0, i), STREAM.slice(i, j), STREAM.slice(j)]
        expect(parseAll(chunks)).toEqual(EXPECTED)
      }
    }
  })

  test('one character at a time', () => {
    expect(parseAll([...STREAM])).toEqual(EXPECTED)
  })

  test('CRLF and bare CR line endings, including a CRLF cut between chunks', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n')
    const cr = STREAM.replaceAll('\n', '\r')
    expect(parseAll([crlf])).toEqual(EXPECTED)
    expect(parseAll([cr])).toEqual(EXPECTED)
    for (let i = 0; i <= crlf.length; i++) {
      expect(parseAll([crlf.slice(0, i), crlf.slice(i)])).toEqual(EXPECTED)
    }
    // A CR ending one chunk and a LF starting the next are one line ending, not two.
    expect(parseAll(['data: a\r', '\ndata: b\r\n\r\n'])).toEqual([
      { id: undefined, event: 'message', data: 'a\nb' },
    ])
  })

  test('field rules: no space, one space stripped, bare field names, unknown fields, defaults', () => {
    const messages = parseAll([
      'data:x\n\n',
      'data:  two spaces\n\n',
      'data\n\n',
      'foo: bar\nevent: custom\ndata: y\n\n',
      'event: nodata\n\n',
      'data: after\n\n',
    ])
    expect(messages.map((m) => [m.event, m.data])).toEqual([
      ['message', 'x'],
      ['message', ' two spaces'],
      ['message', ''],
      ['custom', 'y'],
      // The event without data was not dispatched and its type does not leak into the next one.
      ['message', 'after'],
    ])
  })

  test('the id persists across messages, ignores NUL, and can be reset to empty', () => {
    const parser = new SseParser('7')
    const messages = parseAll(
      ['data: a\n\n', 'id: 9\ndata: b\n\n', 'id: x\u0000y\ndata: c\n\n', 'id\ndata: d\n\n'],
      parser,
    )
    expect(messages.map((m) => m.id)).toEqual(['7', '9', '9', ''])
  })

  test('a BOM at the start is dropped; retry is read; an unfinished message is not dispatched', () => {
    const parser = new SseParser()
    expect(parser.push('\uFEFFretry: 1234\ndata: a\n\ndata: partial')).toEqual([
      { id: undefined, event: 'message', data: 'a' },
    ])
    expect(parser.retry).toBe(1234)
    parser.reset()
    expect(parser.push('\n\ndata: b\n\n')).toEqual([{ id: undefined, event: 'message', data: 'b' }])
  })

  test('multi-byte text split across chunks survives TextDecoder streaming', () => {
    const bytes = new TextEncoder().encode('data: {"delta":"héllo ✓ 🐧"}\n\n')
    const decoder = new TextDecoder()
    const parser = new SseParser()
    const out: SseMessage[] = []
    for (const byte of bytes)
      out.push(...parser.push(decoder.decode(new Uint8Array([byte]), { stream: true })))
    expect(out).toEqual([{ id: undefined, event: 'message', data: '{"delta":"héllo ✓ 🐧"}' }])
  })
})
