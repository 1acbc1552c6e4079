/** The mock's OpenAI Responses wire, checked with plain fetch: exact events, strict validation, caching. */
import { afterEach, describe, expect, it } from 'vitest'
import { type MockServer, startMockServer } from '../src/index.js'

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function post(body: unknown) {
  return fetch(`${server!.url}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    body: JSON.stringify(body),
  })
}

function events(text: string): Array<Record<string, unknown> & { type: string }> {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n')
      const data = JSON.parse(dataLine!.slice(6)) as Record<string, unknown> & { type: string }
      expect(eventLine).toBe(`event: ${data.type}`)
      return data
    })
}

const base = { model: 'gpt-5', input: 'hi', stream: true, store: false }

describe('mock OpenAI Responses wire', () => {
  it('streams response.created … response.completed with numbered events, items added then done', async () => {
    server = await startMockServer({
      script: [{ reasoning: 'Plan.', text: 'Hello.', toolCalls: [{ name: 'look', arguments: { a: 1 } }] }],
    })
    const res = await post({
      ...base,
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'low', summary: 'auto' },
    })
    const all = events(await res.text())
    expect(all.map((e) => e.sequence_number)).toEqual(all.map((_, i) => i))
    expect(all.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      ...all.filter((e) => e.type === 'response.reasoning_summary_text.delta').map((e) => e.type),
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      ...all.filter((e) => e.type === 'response.output_text.delta').map((e) => e.type),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      ...all.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.type),
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ])
    const completed = all.at(-1)!.response as {
      output: Array<Record<string, unknown>>
      usage: Record<string, unknown>
    }
    expect(completed.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call'])
    expect(completed.output[0]).toMatchObject({
      summary: [{ type: 'summary_text', text: 'Plan.' }],
      encrypted_content: expect.any(String),
    })
    expect(completed.usage).toMatchObject({
      input_tokens: expect.any(Number),
      input_tokens_details: { cached_tokens: 0 },
    })
  })

  it('checks requests like the API: parameters, flat tools, call outputs, reasoning items', async () => {
    server = await startMockServer({ script: [{ text: 'ok' }] })
    const bad = async (body: unknown) => {
      const res = await post(body)
      expect(res.status).toBe(400)
      return ((await res.json()) as { error: { message: string } }).error.message
    }
    expect(await bad({ ...base, messages: [] })).toBe("Unknown parameter: 'messages'.")
    expect(await bad({ ...base, tools: [{ type: 'function', function: { name: 'x' } }] })).toMatch(
      /tools\[0\]\.function/,
    )
    expect(await bad({ ...base, temperature: 0.2 })).toMatch(/temperature' is not supported with this model/)
    expect(
      await bad({ ...base, input: [{ type: 'function_call_output', call_id: 'c1', output: 'x' }] }),
    ).toBe('No tool call found for function call output with call_id c1.')
    expect(
      await bad({ ...base, input: [{ type: 'function_call', call_id: 'c1', name: 'x', arguments: '{}' }] }),
    ).toBe('No tool output found for function call c1.')
    const item = { type: 'reasoning', id: 'rs_1', summary: [] }
    const call = { type: 'function_call', call_id: 'c1', name: 'x', arguments: '{}' }
    const output = { type: 'function_call_output', call_id: 'c1', output: 'y' }
    expect(await bad({ ...base, input: [item, call, output] })).toMatch(
      /Items are not persisted when `store` is set to false/,
    )
    expect(await bad({ ...base, input: [{ ...item, encrypted_content: 'forged' }, call, output] })).toMatch(
      /could not be verified/,
    )
    expect(server.remaining()).toBe(1)
  })

  it('caches long prompts automatically, in 128-token steps', async () => {
    server = await startMockServer({ script: [{ text: 'a' }, { text: 'b' }] })
    const instructions = 'I'.repeat(6_000)
    const usage = async (input: unknown) =>
      (
        (await (await post({ model: 'gpt-4o', instructions, input })).json()) as {
          usage: { input_tokens: number; input_tokens_details: { cached_tokens: number } }
        }
      ).usage
    expect((await usage('first')).input_tokens_details.cached_tokens).toBe(0)
    const second = await usage([{ role: 'user', content: 'second' }])
    expect(second.input_tokens_details.cached_tokens).toBe(1408)
    expect(second.input_tokens).toBeGreaterThan(1408)
  })
})
