import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { HUMANEVAL_URL, loadHumanEval, locateHumanEval, runHumanEval } from '../src/index.js'
import { mockModel, requireHumanEval, tempDir, userText } from './helpers.js'

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('HumanEval data', () => {
  test('the official file: 164 problems with the documented fields', async () => {
    const dataset = await loadHumanEval(requireHumanEval())
    expect(dataset.problems).toHaveLength(164)
    expect(dataset.problems[0]).toMatchObject({ task_id: 'HumanEval/0', entry_point: 'has_close_elements' })
    expect(dataset.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  test('without --data it is downloaded once from the official URL into the data directory', async () => {
    const home = await tempDir()
    const bytes = await readFile(requireHumanEval())
    const fetched: string[] = []
    const fakeFetch = (async (url: string | URL | Request) => {
      fetched.push(String(url))
      return new Response(bytes)
    }) as typeof fetch
    const env = { PENGUIN_HOME: home }
    const path = await locateHumanEval({ env, fetch: fakeFetch })
    expect(path).toBe(join(home, 'bench', 'HumanEval.jsonl.gz'))
    expect(await locateHumanEval({ env, fetch: fakeFetch })).toBe(path)
    expect(fetched).toEqual([HUMANEVAL_URL])
    expect((await loadHumanEval(path)).problems).toHaveLength(164)
  })

  test('a failed download is an environment error that suggests --data', async () => {
    const fakeFetch = (async () => new Response('nope', { status: 503 })) as unknown as typeof fetch
    await expect(
      locateHumanEval({ env: { PENGUIN_HOME: await tempDir() }, fetch: fakeFetch }),
    ).rejects.toMatchObject({
      kind: 'environment',
      message: expect.stringMatching(/HTTP 503.*--data PATH/),
    })
  })

  test('a malformed record is a data error naming the line', async () => {
    const dir = await tempDir()
    const path = join(dir, 'bad.jsonl')
    await (await import('node:fs/promises')).writeFile(path, '{"task_id": "X/0", "prompt": "def f():\\n"}\n')
    await expect(loadHumanEval(path)).rejects.toMatchObject({
      kind: 'data',
      message: expect.stringMatching(/bad\.jsonl:1: /),
    })
  })
})

describe('interrupting a run', () => {
  test('keeps what finished, reports aborted, and --resume completes the rest', async () => {
    const { problems } = await loadHumanEval(requireHumanEval())
    const controller = new AbortController()
    let answered = 0
    server = await startMockServer({
      script: (request) => {
        answered++
        // The third request is interrupted while in flight; its answer would never come, so the
        // run can only end if the abort cuts it (instead of waiting for it).
        if (answered === 3) setImmediate(() => controller.abort())
        const problem = problems.find((p) => userText(request).includes(p.prompt))
        const text = problem?.canonical_solution ?? ''
        return answered === 3 ? { text, holdUntil: new Promise(() => {}) } : { text }
      },
    })
    const outDir = await tempDir()
    const options = {
      dataPath: requireHumanEval(),
      limit: 6,
      concurrency: 1,
      model: mockModel(server),
      outDir,
    }
    const first = await runHumanEval({ ...options, signal: controller.signal })
    expect(first.aborted).toBe(true)
    expect(first.summary.samples).toBe(2)
    const resumed = await runHumanEval({ ...options, resume: true })
    expect(resumed.aborted).toBe(false)
    expect(resumed.summary.samples).toBe(6)
    expect(resumed.summary.passAtK['pass@1']).toBe(1)
    // Ten HumanEval runs, each checked by a Python subprocess: seconds alone, but over a minute
    // when the whole suite shares two busy cores (the end is waited for, never timed).
  }, 180_000)
})
