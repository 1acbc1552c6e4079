/**
 * Opaque provider state the mock hands out and must get back unchanged: Anthropic thinking
 * signatures and redacted thinking, OpenAI encrypted reasoning. An HMAC over the content makes
 * any change (or a value the mock never issued) detectable, as the real services detect it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

const SECRET = 'penguin-mock-llm'

function mac(purpose: string, text: string): Buffer {
  return createHmac('sha256', SECRET).update(purpose).update('\u0000').update(text).digest()
}

/** A signature for `text` (base64), as Anthropic signs a thinking block. */
export function sign(purpose: string, text: string): string {
  return mac(purpose, text).toString('base64')
}

export function verify(purpose: string, text: string, signature: unknown): boolean {
  if (typeof signature !== 'string') return false
  const given = Buffer.from(signature, 'base64')
  const expected = mac(purpose, text)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** Sealed content: the payload and its MAC, base64; `open` returns the payload or undefined. */
export function seal(purpose: string, payload: string): string {
  return Buffer.from(JSON.stringify({ p: payload, m: sign(purpose, payload) })).toString('base64')
}

export function open(purpose: string, sealed: unknown): string | undefined {
  if (typeof sealed !== 'string') return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(sealed, 'base64').toString('utf8'))
    if (typeof value !== 'object' || value === null) return undefined
    const { p, m } = value as { p?: unknown; m?: unknown }
    return typeof p === 'string' && verify(purpose, p, m) ? p : undefined
  } catch {
    return undefined
  }
}
