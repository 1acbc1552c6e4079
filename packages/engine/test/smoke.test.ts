import { LlmError } from '@penguin-ai/llm'
import { expect, test } from 'vitest'

test('resolves workspace packages to sources', () => {
  expect(new LlmError('auth', 'x').retryable).toBe(false)
})
