import type { Session, StoredMessage } from '@penguin-ai/store'
import { describe, expect, test } from 'vitest'
import { sessionToMarkdown } from '../src/index.js'

const session: Session = {
  id: 'ses_1',
  title: 'fix it',
  workspace: '/w',
  model: 'openai/gpt-4o',
  projectId: null,
  parentId: null,
  forkedFromCheckpointId: null,
  parentSessionId: null,
  agent: null,
  autoApprove: false,
  messageCount: 2,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
}

function message(id: number, role: StoredMessage['role'], parts: StoredMessage['parts']): StoredMessage {
  return {
    id,
    sessionId: 'ses_1',
    role,
    parts,
    model: null,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    createdAt: '',
  }
}

describe('sessionToMarkdown', () => {
  test('a tool result is headed by the summary its details had in the live run', () => {
    const markdown = sessionToMarkdown(session, [
      message(1, 'assistant', [
        { type: 'tool_call', id: 'c1', name: 'run_command', arguments: '{"command":"npm test"}' },
      ]),
      message(2, 'tool', [
        {
          type: 'tool_result',
          toolCallId: 'c1',
          name: 'run_command',
          content: 'Exit code: 1',
          isError: true,
          details: { kind: 'command', summary: 'npm test — exit 1' },
        },
        { type: 'tool_result', toolCallId: 'c0', name: 'read_file', content: 'x', isError: false },
      ]),
    ])
    expect(markdown).toContain('**Result** of `run_command` (error) — npm test — exit 1\n')
    expect(markdown).toContain('**Result** of `read_file`\n')
  })
})
