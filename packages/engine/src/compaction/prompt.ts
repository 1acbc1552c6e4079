/**
 * What the summariser is told, how the conversation is shown to it, and how its summary re-enters
 * the conversation. The older turns go over as a plain-text transcript rather than as native
 * messages: a request that carries tool calls but offers no tools is rejected by some providers.
 */
import { type Message, textOf, toolCallsOf, type UserMessage, userMessage } from '@penguin-ai/llm'
import { capToolResult } from '../context.js'

/** Every summary message starts with this line, so people, UIs and later compactions can spot it. */
export const SUMMARY_MARKER = '[Summary of the earlier conversation]'

export const SUMMARY_HEADINGS = ['Goal', 'Decisions', 'Files touched', 'Todo state', 'Open problems'] as const

export const SUMMARY_SYSTEM_PROMPT = `You compact the conversation of an AI software-engineering agent so that it can carry on its work with a shorter context. You are given a transcript of the earlier part of the conversation; it may begin with an earlier summary, which you fold in.

Write a concise, factual summary in Markdown with exactly these headings, in this order:

## Goal
What the user asked for, with their most recent request quoted verbatim, and any constraints they set.

## Decisions
Choices made so far and why: approach, conventions, options rejected.

## Files touched
Every file read, created, edited or deleted, one per line: the path exactly as written, what was done, and anything about its content the agent will need.

## Todo state
What is done, what is in progress and what remains, in order.

## Open problems
Errors, failing tests, unanswered questions, anything blocking.

Write "none" under a heading that has nothing. Keep exact names, paths, commands and error messages. Leave out file contents and chatter that the agent can get again. Do not call tools and do not continue the task: answer with the summary only.`

/** Tool results and call arguments are cut to this in the transcript: the summary needs the gist. */
const TRANSCRIPT_OUTPUT_CHARS = 1_500
const TRANSCRIPT_ARGUMENT_CHARS = 1_000

export function isSummaryMessage(message: Message): boolean {
  return message.role === 'user' && textOf(message).startsWith(SUMMARY_MARKER)
}

/** The one user message that stands for everything summarised. */
export function summaryMessage(summary: string): UserMessage {
  return userMessage(`${SUMMARY_MARKER}\n${summary.trim()}`)
}

/** A message's text, with a note for each image (the summariser gets no images). */
function withImages(message: Message): string {
  if (message.role === 'system') return message.content
  const images = (message.content as readonly { type: string }[]).filter((b) => b.type === 'image').length
  const text = textOf(message)
  return images === 0 ? text : `${text}${text ? '\n' : ''}[${images} image${images === 1 ? '' : 's'}]`
}

/** One message as a transcript entry. */
export function renderEntry(message: Message): string {
  switch (message.role) {
    case 'system':
      return `### System\n${message.content}`
    case 'user':
      return isSummaryMessage(message)
        ? `### Earlier summary\n${textOf(message).slice(SUMMARY_MARKER.length).trim()}`
        : `### User\n${withImages(message)}`
    case 'assistant': {
      const calls = toolCallsOf(message).map(
        (call) => `→ called ${call.name} ${capToolResult(call.arguments, TRANSCRIPT_ARGUMENT_CHARS)}`,
      )
      return ['### Assistant', textOf(message), ...calls].filter(Boolean).join('\n')
    }
    case 'tool':
      return `### Result of ${message.name}${message.isError ? ' (error)' : ''}\n${capToolResult(withImages(message), TRANSCRIPT_OUTPUT_CHARS)}`
  }
}

/** The user message of one summary call: the summary so far (rolling over chunks), then the transcript. */
export function summaryRequestText(previous: string, entries: readonly string[], omitted = 0): string {
  const parts: string[] = []
  if (previous) parts.push(`Summary of the conversation before this part:\n\n${previous}`)
  if (omitted > 0) parts.push(`[${omitted} older transcript entries were left out to fit the window.]`)
  parts.push(`Transcript:\n\n${entries.join('\n\n')}`)
  parts.push(
    `Write the summary now, with the headings ${SUMMARY_HEADINGS.map((h) => `"## ${h}"`).join(', ')}.`,
  )
  return parts.join('\n\n')
}

/**
 * What stands in for dropped turns when the summariser could not be used: the first request
 * verbatim (usually the task) and an honest note, so the model knows to re-read what it needs.
 */
export function fallbackSummary(dropped: readonly Message[]): string {
  const earlier = dropped.find(isSummaryMessage)
  const task = dropped.find((message) => message.role === 'user' && !isSummaryMessage(message))
  const lines = ['## Goal', task ? capToolResult(textOf(task), 2_000) : 'See the earlier summary below.']
  if (earlier) lines.push('', '## Earlier summary', textOf(earlier).slice(SUMMARY_MARKER.length).trim())
  lines.push(
    '',
    '## Open problems',
    `${dropped.length} earlier messages were dropped to fit the context window and could not be summarised. Re-read files and re-run commands rather than relying on memory of them.`,
  )
  return lines.join('\n')
}
