// The floor `pnpm bench:api` measures Penguin's server against: a bare Hono app on
// @hono/node-server — the same framework and adapter, and nothing else (no auth, no middleware, no
// database) — answering the same routes with the same bodies. Run as a child process:
//   node api-floor.mjs <sessions.json>
// prints `listening on http://127.0.0.1:PORT` once it accepts connections.
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const sessions = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const app = new Hono()
app.get('/healthz', (c) => c.json({ status: 'ok' }))
app.get('/api/v1/sessions', (c) => c.json(sessions))

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`listening on http://127.0.0.1:${info.port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
