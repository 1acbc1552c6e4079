// A throwaway npm registry: verdaccio on loopback with its config and storage in a temp directory.
// Penguin's packages exist only here (never proxied, so a same-named package on npmjs cannot stand
// in for them); everything else is fetched from npmjs through it and cached for the second install.
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { start } from './proc.mjs'

const VERDACCIO = fileURLToPath(new URL('../../node_modules/verdaccio/bin/verdaccio', import.meta.url))

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

export async function startRegistry(dir, upstream = 'https://registry.npmjs.org/') {
  mkdirSync(dir, { recursive: true })
  const port = await freePort()
  const config = join(dir, 'config.yaml')
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(dir, 'storage'))}`,
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
      'uplinks:',
      '  npmjs:',
      `    url: ${upstream}`,
      '    timeout: 60s',
      '    max_fails: 5',
      'packages:',
      "  'penguin-ai':",
      '    access: $all',
      '    publish: $authenticated',
      "  '@penguin-ai/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    proxy: npmjs',
      'server:',
      '  keepAliveTimeout: 60',
      'log: { type: stdout, format: json, level: warn }',
      '',
    ].join('\n'),
  )
  const url = `http://127.0.0.1:${port}/`
  const server = start(process.execPath, [VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  const deadline = Date.now() + 60_000
  for (;;) {
    const ok = await fetch(`${url}-/ping`).then(
      (response) => response.ok,
      () => false,
    )
    if (ok) break
    if (server.child.exitCode !== null) throw new Error(`verdaccio exited\n${server.output()}`)
    if (Date.now() > deadline) {
      await server.stop()
      throw new Error(`verdaccio did not answer within 60 s\n${server.output()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    url,
    /** A user to publish as; returns the token for an .npmrc. */
    async addUser(name = 'smoke', password = 'smoke-password-1') {
      const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password, type: 'user', roles: [], date: new Date().toISOString() }),
      })
      const body = await response.json()
      if (!response.ok || !body.token)
        throw new Error(`verdaccio adduser: ${response.status} ${JSON.stringify(body)}`)
      return body.token
    },
    stop: () => server.stop(),
  }
}
