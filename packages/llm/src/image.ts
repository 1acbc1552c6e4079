/**
 * Recognising images by their bytes (never by file name) and reading their pixel size from the
 * header, for PNG, JPEG, GIF and WebP: the formats every provider that takes images accepts.
 */
import type { ImageMediaType } from './types.js'

export interface ImageInfo {
  mediaType: ImageMediaType
  /** Pixels; 0 when the header does not say (a truncated file). */
  width: number
  height: number
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  signature.every((byte, i) => bytes[at + i] === byte)

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  [...text].every((char, i) => bytes[at + i] === char.charCodeAt(0))

const u16be = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0)
const u16le = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8)
const u24le = (b: Uint8Array, at: number) => u16le(b, at) | ((b[at + 2] ?? 0) << 16)
const u32be = (b: Uint8Array, at: number) => ((u16be(b, at) << 16) >>> 0) + u16be(b, at + 2)

function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  let at = 2
  while (at + 8 < bytes.length) {
    if (bytes[at] !== 0xff) return { width: 0, height: 0 }
    const marker = bytes[at + 1] ?? 0
    // Standalone markers carry no length.
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2
      continue
    }
    // Start of frame (any of the SOFn markers but DHT, JPG and DAC) holds the size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(bytes, at + 5), width: u16be(bytes, at + 7) }
    }
    at += 2 + u16be(bytes, at + 2)
  }
  return { width: 0, height: 0 }
}

function webpSize(bytes: Uint8Array): { width: number; height: number } {
  if (ascii(bytes, 12, 'VP8 ')) return { width: u16le(bytes, 26) & 0x3fff, height: u16le(bytes, 28) & 0x3fff }
  if (ascii(bytes, 12, 'VP8L')) {
    const bits =
      (bytes[21] ?? 0) | ((bytes[22] ?? 0) << 8) | ((bytes[23] ?? 0) << 16) | ((bytes[24] ?? 0) << 24)
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (ascii(bytes, 12, 'VP8X')) return { width: u24le(bytes, 24) + 1, height: u24le(bytes, 27) + 1 }
  return { width: 0, height: 0 }
}

/** The image's type and size, or undefined when the bytes are none of PNG, JPEG, GIF or WebP. */
export function sniffImage(bytes: Uint8Array): ImageInfo | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { mediaType: 'image/png', width: u32be(bytes, 16), height: u32be(bytes, 20) }
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', ...jpegSize(bytes) }
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) {
    return { mediaType: 'image/gif', width: u16le(bytes, 6), height: u16le(bytes, 8) }
  }
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP'))
    return { mediaType: 'image/webp', ...webpSize(bytes) }
  return undefined
}
