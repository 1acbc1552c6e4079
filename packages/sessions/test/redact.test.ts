import type { NewMessage } from '@penguin-ai/store'
import { describe, expect, test } from 'vitest'
import { redactMessage, secretRedactor } from '../src/redact.js'

const SECRET = 'tok-9b1e22f0-live'
const redact = secretRedactor({ DEPLOY_TOKEN: SECRET, HOME: '/home/someone' })

describe('redactMessage', () => {
  test('tool call arguments stay valid JSON; results and their details are redacted', () => {
    const call: NewMessage = {
      role: 'assistant',
      parts: [
        { type: 'text', text: `using ${SECRET}` },
        {
          type: 'tool_call',
          id: 'c1',
          name: 'run_command',
          arguments: JSON.stringify({ command: `curl -H ${SECRET}` }),
        },
      ],
    }
    const out = redactMessage(call, redact)
    expect(JSON.stringify(out)).not.toContain(SECRET)
    const args = out.parts[1]
    expect(args?.type === 'tool_call' && JSON.parse(args.arguments)).toEqual({
      command: 'curl -H [REDACTED]',
    })

    const result: NewMessage = {
      role: 'tool',
      parts: [
        {
          type: 'tool_result',
          toolCallId: 'c1',
          name: 'run_command',
          content: `out ${SECRET}`,
          isError: false,
          details: { kind: 'command', summary: 'curl', stdout: `x${SECRET}x`, nested: [{ deep: SECRET }] },
        },
      ],
    }
    expect(JSON.stringify(redactMessage(result, redact))).not.toContain(SECRET)
  })

  test('nothing to hide: the same object back; HOME and other ordinary variables are not secrets', () => {
    const message: NewMessage = { role: 'user', parts: [{ type: 'text', text: 'look in /home/someone' }] }
    expect(redactMessage(message, redact)).toBe(message)
  })

  test('a signed reasoning text that had to change loses its signature; opaque state is untouched', () => {
    const message: NewMessage = {
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: `the key is ${SECRET}`, api: 'anthropic-messages', signature: 'sig==' },
        { type: 'reasoning', text: 'nothing here', api: 'anthropic-messages', signature: 'sig2==' },
        {
          type: 'reasoning',
          text: '',
          api: 'openai-responses',
          id: 'rs_1',
          encrypted: 'enc',
          summary: [SECRET],
        },
      ],
    }
    expect(redactMessage(message, redact).parts).toEqual([
      { type: 'reasoning', text: 'the key is [REDACTED]', api: 'anthropic-messages' },
      { type: 'reasoning', text: 'nothing here', api: 'anthropic-messages', signature: 'sig2==' },
      {
        type: 'reasoning',
        text: '',
        api: 'openai-responses',
        id: 'rs_1',
        encrypted: 'enc',
        summary: ['[REDACTED]'],
      },
    ])
  })
})
