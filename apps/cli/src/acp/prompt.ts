/**
 * An ACP prompt (content blocks) as the text Penguin's engine takes: text as is, a linked file as
 * an @-mention of its path, an embedded resource (an editor buffer, maybe unsaved) inline in a
 * `<file>` block so the model reads what the user sees.
 */
import { fileURLToPath } from 'node:url'
import type * as acp from '@agentclientprotocol/sdk'

export interface PromptInput {
  text: string
  images: { mediaType: string; data: string }[]
}

function pathOf(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri
  } catch {
    return uri
  }
}

export function promptInput(blocks: acp.ContentBlock[]): PromptInput {
  const parts: string[] = []
  const images: PromptInput['images'] = []
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        parts.push(block.text)
        break
      case 'resource_link':
        parts.push(`@${pathOf(block.uri)}`)
        break
      case 'resource': {
        const resource = block.resource
        if ('text' in resource) {
          parts.push(`<file path="${pathOf(resource.uri)}">\n${resource.text}\n</file>`)
        } else {
          parts.push(`@${pathOf(resource.uri)}`)
        }
        break
      }
      case 'image':
        images.push({ mediaType: block.mimeType, data: block.data })
        break
      default:
        // Audio: no Penguin model takes it; say so rather than drop it silently.
        parts.push(`[${block.type} attachment omitted: not supported]`)
    }
  }
  return { text: parts.join('\n\n'), images }
}
