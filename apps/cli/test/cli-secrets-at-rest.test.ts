/**
 * Secrets at rest (issue 12 §6): the value of a credential-named variable that reaches a
 * `penguin run` — a file the agent reads, a command's output, the model's answer, a memory it
 * saves — is what the model works with during the run, but the session database never holds it.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'

const SECRET = 'svc-51d0c7e2-value'

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

/** Every file of the database (main file, -wal, -shm) as the CLI left them. */
async function databaseFiles(db: string): Promise<Map<string, Buffer>> {
  const dir = join(db, '..')
  const files = new Map<string, Buffer>()
  for (const name of await readdir(dir))
    if (name.startsWith('penguin.db')) files.set(name, await readFile(join(dir, name)))
  return files
}

describe('secrets at rest', () => {
  test('penguin run stores messages, tool results, details and memories without the secret', async () => {
    mock = await startMockServer({
      script: [
        { toolCalls: [{ name: 'read_file', arguments: { path: 'service.conf' } }] },
        { toolCalls: [{ name: 'run_command', arguments: { command: 'cat service.conf' } }] },
        {
          toolCalls: [
            { name: 'memory_save', arguments: { content: `The service token is ${SECRET}`, tags: ['svc'] } },
          ],
        },
        { text: `Done: the token is ${SECRET}.` },
        { text: 'Resumed.' },
      ],
    })
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
    const repo = await makeRepo({ 'service.conf': `endpoint = https://svc.example\ntoken = ${SECRET}\n` })
    const env = { PENGUIN_DB: db, OPENAI_API_KEY: 'sk-test', MY_SERVICE_TOKEN: SECRET }
    const run = (...args: string[]) =>
      runPenguin(['run', '--model', 'openai/gpt-4o', '--base-url', mock!.url, '--yes', ...args], {
        env,
        cwd: repo,
      })

    const first = await run('what is the service token?')
    expect(first.code, first.stderr).toBe(0)
    // The run itself is unchanged: the model read the file as it is, the user got the answer.
    const toolMessages = (mock.requests[1]?.body?.messages ?? []).filter((m) => m.role === 'tool')
    expect(String(toolMessages[0]?.content)).toContain(SECRET)
    expect(first.stdout).toContain(SECRET)

    const files = await databaseFiles(db)
    expect(files.has('penguin.db')).toBe(true)
    for (const [name, bytes] of files) expect(bytes.includes(SECRET), name).toBe(false)

    // Without the variable in the environment, nothing at export time could hide it: the stored
    // conversation itself holds the marker.
    const shown = await runPenguin(
      ['sessions', 'show', '--json', /session (ses_\w+)/.exec(first.stderr)![1]!],
      {
        env: { PENGUIN_DB: db },
      },
    )
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).not.toContain(SECRET)
    expect(shown.stdout).toContain('token = [REDACTED]')
    expect(shown.stdout).toContain('Done: the token is [REDACTED].')

    // A resumed session continues from what is stored.
    const second = await run('--continue', 'and now?')
    expect(second.code, second.stderr).toBe(0)
    const resumed = JSON.stringify(mock.requests.at(-1)?.body?.messages)
    expect(resumed).not.toContain(SECRET)
    expect(resumed).toContain('token = [REDACTED]')
    for (const [name, bytes] of await databaseFiles(db)) expect(bytes.includes(SECRET), name).toBe(false)
  })
})
