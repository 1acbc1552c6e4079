/**
 * The boundary where a tool's result meets the UIs: whatever a tool (built-in, plugin, MCP) handed
 * back is checked against the schema, so every `tool.finished` carries valid `details` and every ask
 * a valid `preview`. Pure and browser-safe.
 */
import {
  type PermissionPreview,
  PermissionPreviewSchema,
  type ToolDetails,
  ToolDetailsSchema,
} from './schema.js'
import { oneLine } from './text.js'

/**
 * Valid details with a one-line summary. Missing details become `generic` ones summarised by
 * `fallbackSummary`; details that do not fit the schema are kept as `generic` `data`.
 */
export function normalizeDetails(details: unknown, fallbackSummary: string): ToolDetails {
  const parsed = ToolDetailsSchema.safeParse(details)
  if (parsed.success) return { ...parsed.data, summary: oneLine(parsed.data.summary) }
  if (isRecord(details)) {
    const summary = typeof details.summary === 'string' ? details.summary : fallbackSummary
    return { kind: 'generic', summary: oneLine(summary), data: details }
  }
  return { kind: 'generic', summary: oneLine(fallbackSummary) }
}

/** A valid preview; one that does not fit the schema becomes a `generic` preview of the arguments. */
export function normalizePreview(
  preview: unknown,
  args: unknown,
  fallbackSummary: string,
): PermissionPreview {
  const parsed = PermissionPreviewSchema.safeParse(preview)
  if (parsed.success) return { ...parsed.data, summary: oneLine(parsed.data.summary) }
  return { kind: 'generic', summary: oneLine(fallbackSummary), args }
}

/** Default size of each long text kept by `capDetails`. */
export const STORED_DETAIL_CHARS = 100_000

/**
 * Details small enough to store with a session: command output and MCP text keep their head and
 * tail, diffs their first lines, and image data or `generic` data over the limit is left out.
 */
export function capDetails(details: ToolDetails, maxChars = STORED_DETAIL_CHARS): ToolDetails {
  switch (details.kind) {
    case 'command':
      return {
        ...details,
        stdout: headAndTail(details.stdout, maxChars),
        stderr: headAndTail(details.stderr, maxChars),
      }
    case 'file-edit':
      return {
        ...details,
        files: details.files.map((file) =>
          file.diff === undefined ? file : { ...file, diff: headOfDiff(file.diff, maxChars) },
        ),
      }
    case 'mcp':
      return {
        ...details,
        content: details.content.map((block) => {
          if (block.type === 'text') return { ...block, text: headAndTail(block.text, maxChars) }
          if (block.type === 'image' && (block.data?.length ?? 0) > maxChars) {
            const { data: _left, ...rest } = block
            return rest
          }
          return block
        }),
      }
    case 'generic': {
      if (details.data === undefined || JSON.stringify(details.data).length <= maxChars) return details
      const { data: _left, ...rest } = details
      return rest
    }
    default:
      return details
  }
}

/** The first and last `max / 2` characters with a note of what was left out between them. */
export function headAndTail(text: string, max: number): string {
  if (text.length <= max) return text
  const half = Math.floor(max / 2)
  const omitted = text.length - 2 * half
  return `${text.slice(0, half)}\n… [${omitted.toLocaleString('en-US')} characters omitted] …\n${text.slice(-half)}`
}

/** Whole lines of a diff up to `max` characters, then a `\ …` note (read as a comment by diff parsers). */
function headOfDiff(diff: string, max: number): string {
  if (diff.length <= max) return diff
  const lines = diff.split('\n')
  const kept: string[] = []
  let size = 0
  for (const line of lines) {
    if (size + line.length + 1 > max) break
    kept.push(line)
    size += line.length + 1
  }
  return `${kept.join('\n')}\n\\ … ${(lines.length - kept.length).toLocaleString('en-US')} more diff lines not kept\n`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
