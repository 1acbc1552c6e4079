import { EventEmitter } from 'node:events'
import { request } from 'node:http'
import { expect, test } from 'vitest'
import { acceptPacing } from '../src/http/accept-pacing.js'
import { startTestServer } from './helpers.js'

/** Resolves in the check phase after the immediates queued so far: the end of a loop turn. */
const turnEnd = () => new Promise((resolve) => setImmediate(resolve))

/** A handler that "costs" one millisecond on a clock the test owns. */
function pacedHandler(turnBudgetMs: number) {
  let clock = 0
  const ran: string[] = []
  const pacing = acceptPacing(
    (name: string) => {
      if (name === 'broken') throw new Error('handler failed')
      ran.push(name)
      clock += 1
      return name
    },
    { turnBudgetMs, now: () => clock },
  )
  const server = new EventEmitter()
  pacing.attach(server)
  return { pacing, server, ran }
}

test('with no connection arriving, requests go straight through', () => {
  const { pacing, ran } = pacedHandler(1.5)
  expect(['a', 'b', 'c'].map((name) => pacing.fetch(name))).toEqual(['a', 'b', 'c'])
  expect(ran).toEqual(['a', 'b', 'c'])
})

test('while connections arrive, a turn runs requests up to its budget and the rest in later turns', async () => {
  const { pacing, server, ran } = pacedHandler(1.5)
  server.emit('connection')
  const answers = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => pacing.fetch(name))
  // a opens the turn, b starts 1 ms into it, c would start past the budget.
  expect(ran).toEqual(['a', 'b'])
  expect(answers.slice(0, 2)).toEqual(['a', 'b'])
  await turnEnd()
  // The check phase is a turn of its own: two more; the connection came during the last turn.
  expect(ran).toEqual(['a', 'b', 'c', 'd'])
  await turnEnd()
  // A turn passed without a new connection: the rest go at once, in the order they came.
  expect(ran).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
  expect(await Promise.all(answers)).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
  expect(pacing.fetch('g')).toBe('g')
})

test("a deferred request's failure reaches its caller", async () => {
  const { pacing, server } = pacedHandler(0.5)
  server.emit('connection')
  pacing.fetch('a')
  await expect(pacing.fetch('broken')).rejects.toThrow('handler failed')
})

/** One GET on a fresh connection (no agent: each request opens its own socket). */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

test('a burst of new connections to a served API is answered on every one', async () => {
  const t = await startTestServer()
  const statuses = await Promise.all(
    Array.from({ length: 60 }, () => getOnNewConnection(`${t.server.url}/healthz`)),
  )
  expect(statuses).toEqual(Array.from({ length: 60 }, () => 200))
})
