/**
 * What an image costs as input. Providers scale images down to about 1.15 megapixels and charge
 * roughly one token per 750 pixels (Anthropic's published rule; OpenAI's tiles land close), so an
 * image costs at most about 1,600 tokens. An image whose size cannot be read counts as the maximum.
 */
import { sniffImage } from '../image.js'
import type { ImageBlock } from '../types.js'

export const MAX_IMAGE_TOKENS = 1_600
const PIXELS_PER_TOKEN = 750

export function imageTokens(image: ImageBlock): number {
  const info = sniffImage(Buffer.from(image.data.slice(0, 256 * 1024), 'base64'))
  if (!info || info.width === 0 || info.height === 0) return MAX_IMAGE_TOKENS
  return Math.min(MAX_IMAGE_TOKENS, Math.ceil((info.width * info.height) / PIXELS_PER_TOKEN))
}
