// @vitest-environment happy-dom
// The terminal's render tests (apps/cli/test/render-*.test.ts) spell out the same kinds of payload,
// on purpose: each renderer's test states its own input, and the UI's tests take the SDK's types
// only (the UI depends on no other Penguin package).
import { act } from 'react'
import { describe, expect, it, vi } from 'vitest'
import type { ChatItem, ToolItem } from '../../src/app/chat/chat-types.js'
import { MessageList } from '../../src/app/chat/message-list.js'
import { ToolCard } from '../../src/app/chat/tool-card.js'
import { DiffView } from '../../src/app/diff/diff-view.js'
import { render } from './render.js'

const edit: ToolItem = {
  kind: 'tool',
  key: 'live1',
  callId: 'c1',
  tool: 'edit_file',
  args: { path: 'README.md', old_string: 'a', new_string: 'b' },
  status: 'running',
  live: true,
  permission: {
    id: 'p1',
    access: 'write',
    subject: 'README.md',
    state: 'pending',
    preview: {
      kind: 'file-edit',
      summary: 'README.md (+1 -1)',
      files: [
        {
          path: 'README.md',
          operation: 'modify',
          added: 1,
          removed: 1,
          diff: '--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-a\n+b\n',
        },
      ],
    },
  },
}

describe('ToolCard', () => {
  it('asks inline and reports the answer', () => {
    const onReply = vi.fn()
    const el = render(<ToolCard item={edit} onReply={onReply} />)
    expect(el.textContent).toContain('wants to change')
    expect(el.textContent).toContain('awaiting permission')
    const buttons = [...el.querySelectorAll('button')].map((button) => button.textContent)
    expect(buttons).toEqual(['Allow once', 'Always allow', 'Reject'])
    act(() => el.querySelectorAll('button')[2]?.click())
    expect(onReply).toHaveBeenCalledWith('p1', 'reject')
  })

  it('shows an edit as a diff and a command with its exit code and output', () => {
    const preview = edit.permission!.preview!
    const done: ToolItem = {
      ...edit,
      status: 'done',
      output: 'Edited README.md',
      details: preview.kind === 'file-edit' ? { ...preview } : undefined,
      permission: { ...edit.permission!, state: 'once' },
    }
    const el = render(
      <>
        <ToolCard item={done} onReply={() => {}} />
        <ToolCard
          item={{
            kind: 'tool',
            key: 'live2',
            callId: 'c2',
            tool: 'run_command',
            args: { command: 'npm test' },
            status: 'error',
            output: 'Exit code: 1',
            details: {
              kind: 'command',
              summary: 'npm test — exit 1',
              command: 'npm test',
              cwd: '.',
              exitCode: 1,
              signal: null,
              timedOut: false,
              aborted: false,
              durationMs: 3,
              stdout: '',
              stderr: 'boom',
            },
            live: true,
          }}
          onReply={() => {}}
        />
      </>,
    )
    expect(el.querySelector('.diff-line.del')?.textContent).toContain('-a')
    expect(el.querySelector('.diff-line.add')?.textContent).toContain('+b')
    expect(el.textContent).toContain('Allowed once')
    expect(el.textContent).toContain('exit 1')
    expect(el.textContent).toContain('boom')
  })

  it('keeps file reads collapsed, their content not even rendered', () => {
    const el = render(
      <ToolCard
        item={{
          kind: 'tool',
          key: 'k',
          callId: 'c',
          tool: 'read_file',
          args: { path: 'a' },
          status: 'done',
          output: 'SECRET BODY',
          details: { kind: 'file-read', summary: 'a', path: 'a' },
          live: true,
        }}
        onReply={() => {}}
      />,
    )
    expect(el.querySelector('details')?.open).toBe(false)
    expect(el.textContent).not.toContain('SECRET BODY')
  })
})

describe('MessageList', () => {
  it('renders 500 items', () => {
    const items: ChatItem[] = Array.from({ length: 500 }, (_, i) =>
      i % 2 === 0
        ? { kind: 'user', key: `k${i}`, text: `prompt ${i}` }
        : {
            kind: 'tool',
            key: `k${i}`,
            callId: `c${i}`,
            tool: 'read_file',
            args: { path: `f${i}` },
            status: 'done',
            output: 'x',
          },
    )
    const el = render(<MessageList items={items} onReply={() => {}} />)
    expect(el.querySelectorAll('.messages > li')).toHaveLength(500)
    expect(el.querySelectorAll('pre')).toHaveLength(0)
  })
})

describe('DiffView', () => {
  it('labels the files and counts', () => {
    const el = render(<DiffView diff={'--- a/x\n+++ b/x\n@@ -1 +1 @@\n-1\n+2\n'} />)
    expect(el.querySelector('figure')?.getAttribute('aria-label')).toBe('Diff of x')
    expect(el.querySelector('.diff-stats')?.textContent).toContain('+1')
    expect(el.querySelectorAll('.diff-line')).toHaveLength(5)
  })
})
