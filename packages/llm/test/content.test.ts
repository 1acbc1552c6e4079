import { describe, expect, it } from 'vitest'
import {
  assistantMessage,
  createTokenCounter,
  hasToolCalls,
  MAX_IMAGE_TOKENS,
  sniffImage,
  textOf,
  toolCallsOf,
  toolResultMessage,
  userMessage,
} from '../src/index.js'

/** A 1×1 PNG, and headers of the other formats with known sizes. */
const PNG_1x1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  new DataView(bytes.buffer).setUint32(16, width)
  new DataView(bytes.buffer).setUint32(20, height)
  return bytes
}

describe('content blocks', () => {
  it('reads text and tool calls out of messages, in order', () => {
    const message = assistantMessage('Looking.', [
      { id: 'a', name: 'grep', arguments: '{}' },
      { id: 'b', name: 'read_file', arguments: '{"path":"x"}' },
    ])
    expect(message.content.map((block) => block.type)).toEqual(['text', 'tool_call', 'tool_call'])
    expect(textOf(message)).toBe('Looking.')
    expect(toolCallsOf(message).map((call) => call.id)).toEqual(['a', 'b'])
    expect(hasToolCalls(message)).toBe(true)
    expect(hasToolCalls(assistantMessage('done'))).toBe(false)
    expect(assistantMessage('').content).toEqual([])
    expect(textOf({ role: 'system', content: 'sys' })).toBe('sys')
  })

  it('normalises tool results to one text block and then the images', () => {
    const image = { type: 'image', mediaType: 'image/png', data: PNG_1x1 } as const
    expect(toolResultMessage({ id: 'c', name: 'read_file' }, '', { images: [image] }).content).toEqual([
      image,
    ])
    expect(toolResultMessage({ id: 'c', name: 'read_file' }, 'note', { images: [image] }).content).toEqual([
      { type: 'text', text: 'note' },
      image,
    ])
    expect(toolResultMessage({ id: 'c', name: 'x' }, '', { isError: true })).toEqual({
      role: 'tool',
      toolCallId: 'c',
      name: 'x',
      content: [{ type: 'text', text: '' }],
      isError: true,
    })
    expect(userMessage('look', [image]).content).toEqual([{ type: 'text', text: 'look' }, image])
  })
})

describe('images', () => {
  it('recognises PNG, JPEG, GIF and WebP by their bytes and reads their size', () => {
    expect(sniffImage(Buffer.from(PNG_1x1, 'base64'))).toEqual({
      mediaType: 'image/png',
      width: 1,
      height: 1,
    })
    expect(sniffImage(pngHeader(800, 600))).toEqual({ mediaType: 'image/png', width: 800, height: 600 })
    const gif = Buffer.from('GIF89a\x40\x01\xf0\x00', 'latin1')
    expect(sniffImage(gif)).toEqual({ mediaType: 'image/gif', width: 320, height: 240 })
    // JPEG: SOI, an APP0 segment to skip, then SOF0 with height 480 and width 640.
    const jpeg = Uint8Array.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80,
    ])
    expect(sniffImage(jpeg)).toEqual({ mediaType: 'image/jpeg', width: 640, height: 480 })
    const webp = new Uint8Array(30)
    webp.set(Buffer.from('RIFF\0\0\0\0WEBPVP8X', 'latin1'))
    webp.set([99, 0, 0, 49, 0, 0], 24) // canvas 100 × 50, stored minus one
    expect(sniffImage(webp)).toEqual({ mediaType: 'image/webp', width: 100, height: 50 })
    expect(sniffImage(Buffer.from('not an image at all'))).toBeUndefined()
  })

  it('counts an image by its pixels, at most the provider ceiling', () => {
    const counter = createTokenCounter('claude-sonnet-4-5')
    const small = userMessage('', [{ type: 'image', mediaType: 'image/png', data: PNG_1x1 }])
    expect(counter.countMessage(small)).toBeLessThan(10)
    const big = Buffer.from(pngHeader(4000, 3000)).toString('base64')
    const large = userMessage('', [{ type: 'image', mediaType: 'image/png', data: big }])
    expect(counter.countMessage(large)).toBeGreaterThanOrEqual(MAX_IMAGE_TOKENS)
    expect(counter.countMessage(large)).toBeLessThan(MAX_IMAGE_TOKENS + 10)
  })
})
