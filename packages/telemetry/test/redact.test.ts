import { afterEach, describe, expect, test } from 'vitest'
import { createRedactor, REDACTED, redact, redactText, resetRedaction } from '../src/index.js'

afterEach(() => {
  delete process.env.PLANTED_TEST_SECRET
  resetRedaction()
})

describe('redact', () => {
  const r = createRedactor({
    env: {
      OPENAI_API_KEY: 'sk-proj-planted-0123456789',
      GITHUB_TOKEN: 'plain-looking-value-42',
      DB_PASSWORD: 'hunter2-hunter2',
      SHORT_TOKEN: 'abc',
      HOME: '/home/me',
    },
  })

  test('patterns: provider keys, Penguin tokens, bearer credentials', () => {
    expect(r.text('key sk-abcdef1234567890 here')).toBe(`key sk-${REDACTED} here`)
    expect(r.text('anthropic sk-ant-api03-AbC_dEf-123456')).toBe(`anthropic sk-${REDACTED}`)
    expect(r.text('pgn_4fK9aB0cD1eF2gH3iJ4kL5mN6oP7qR8')).toBe(`pgn_${REDACTED}`)
    expect(r.text('Authorization: Bearer eyJhbGciOi.J9.abc')).toBe(`Authorization: Bearer ${REDACTED}`)
    expect(r.text('authorization: bearer abcdef123456')).toBe(`authorization: bearer ${REDACTED}`)
    expect(r.text('Basic dXNlcjpwYXNzd29yZA==')).toBe(`Basic ${REDACTED}`)
    expect(r.text('ghp_0123456789abcdefghij and gsk_0123456789abcdefghij')).toBe(
      `ghp_${REDACTED} and gsk_${REDACTED}`,
    )
    expect(r.text('AIzaSyA-0123456789abcdefghijklmn')).toBe(`AIza${REDACTED}`)
  })

  test('literal values of *_API_KEY, *_TOKEN, *_SECRET, *_PASSWORD variables, wherever they appear', () => {
    expect(r.text('token=plain-looking-value-42;')).toBe(`token=${REDACTED};`)
    expect(r.text('x hunter2-hunter2 y')).toBe(`x ${REDACTED} y`)
    expect(r.text('"sk-proj-planted-0123456789"')).toBe(`"${REDACTED}"`)
    // Too short to be told from ordinary text; other variables are not secrets.
    expect(r.text('abc /home/me')).toBe('abc /home/me')
  })

  test('passwords in URLs, and every value of a credential-named variable (AWS_SECRET_ACCESS_KEY…)', () => {
    expect(r.text('cannot reach https://alice:s3cret-pw@proxy.example/v1; retrying')).toBe(
      `cannot reach https://alice:${REDACTED}@proxy.example/v1; retrying`,
    )
    expect(r.text('postgres://app:db-pass-9@db.internal:5432/app')).toBe(
      `postgres://app:${REDACTED}@db.internal:5432/app`,
    )
    // No password, nothing to hide.
    expect(r.text('https://alice@host.example/x and https://host.example:8443/y')).toBe(
      'https://alice@host.example/x and https://host.example:8443/y',
    )
    const aws = createRedactor({
      env: {
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        MYSQL_PASSWORD_FILE_CONTENT: 'letmein-please',
        STRIPE_SECRET_KEY: 'rk_live_plain_value',
      },
    })
    expect(aws.text('key wJalrXUtnFEMI/K7MDENG id AKIAIOSFODNN7EXAMPLE')).toBe(
      `key ${REDACTED} id ${REDACTED}`,
    )
    expect(aws.text('pw letmein-please, stripe rk_live_plain_value')).toBe(
      `pw ${REDACTED}, stripe ${REDACTED}`,
    )
  })

  test('ordinary prose is left alone', () => {
    for (const text of [
      'Basic setup instructions',
      'Token limits exceeded',
      'the task-12345678 runs',
      'desk-lamp',
    ])
      expect(r.text(text)).toBe(text)
  })

  test('objects: credential-named fields whole, other strings by pattern, nothing else touched', () => {
    const input = {
      headers: { Authorization: 'Digest whatever', 'x-api-key': 'k', accept: 'json' },
      nested: [{ note: 'use sk-abcdef1234567890' }],
      input_tokens: 1200,
      max_tokens: '100',
      apiKey: 'short',
    }
    expect(r.value(input)).toEqual({
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED, accept: 'json' },
      nested: [{ note: `use sk-${REDACTED}` }],
      input_tokens: 1200,
      max_tokens: '100',
      apiKey: REDACTED,
    })
    const clean = { a: 1, b: ['x'] }
    expect(r.value(clean)).toBe(clean)
  })

  test('errors become plain records with message and stack redacted', () => {
    const error = new Error('failed with Bearer abcdef123456')
    const out = r.value(error) as unknown as { type: string; message: string; stack: string }
    expect(out.type).toBe('Error')
    expect(out.message).toBe(`failed with Bearer ${REDACTED}`)
    expect(out.stack).not.toContain('abcdef123456')
  })

  test('the shared redactor reads process.env (again after resetRedaction)', () => {
    process.env.PLANTED_TEST_SECRET = 'zz-planted-value-77'
    resetRedaction()
    expect(redactText('see zz-planted-value-77')).toBe(`see ${REDACTED}`)
    expect(redact({ msg: 'zz-planted-value-77' })).toEqual({ msg: REDACTED })
  })
})
