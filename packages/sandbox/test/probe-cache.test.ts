import { chmod, copyFile, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { checkSandbox, findOnPath } from '../src/index.js'
import { rememberedSupport } from '../src/probe-cache.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** A PATH holding a copy of this machine's bwrap, and a runtime dir for the remembered answer. */
async function machine() {
  const real = findOnPath('bwrap')
  if (!real) throw new Error('bubblewrap is required for the sandbox tests (apt-get install bubblewrap)')
  const bin = await mkdtemp(join(tmpdir(), 'penguin-probe-bin-'))
  const runtime = await mkdtemp(join(tmpdir(), 'penguin-probe-run-'))
  dirs.push(bin, runtime)
  await copyFile(real, join(bin, 'bwrap'))
  await chmod(join(bin, 'bwrap'), 0o755)
  const env = { PATH: bin, XDG_RUNTIME_DIR: runtime }
  return { env, bwrap: join(bin, 'bwrap'), file: join(runtime, 'penguin', 'sandbox-probe.json') }
}

describe('the probe is remembered until the machine changes', () => {
  test('a working sandbox is remembered; a changed bwrap is probed again', async () => {
    const { env, bwrap, file } = await machine()
    const support = await checkSandbox({ env })
    expect(support).toMatchObject({ available: true, bwrap })
    // Only a key and the version are kept, in a directory of this user's that nobody else can read.
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8'))).sort()).toEqual(['key', 'version'])
    expect(await rememberedSupport(bwrap, env)).toEqual(support)

    // Another binary at the same path (an upgrade, or a broken one): not the remembered answer.
    await utimes(bwrap, new Date(), new Date(Date.now() + 60_000))
    expect(await rememberedSupport(bwrap, env)).toBeUndefined()
    await writeFile(bwrap, '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n')
    const broken = await checkSandbox({ env })
    expect(broken.available).toBe(false)
    if (!broken.available) expect(broken.cause).toMatch(/cannot create the sandbox's namespaces/)
  })

  test('a failed probe is not remembered, and fresh: true always probes', async () => {
    const { env, bwrap, file } = await machine()
    await writeFile(bwrap, '#!/bin/sh\nexit 1\n')
    expect((await checkSandbox({ env })).available).toBe(false)
    await expect(readFile(file)).rejects.toThrow()
    expect((await checkSandbox({ env, fresh: true })).available).toBe(false)
  })

  test('a cache directory others can write is not trusted', async () => {
    const { env, bwrap } = await machine()
    expect((await checkSandbox({ env })).available).toBe(true)
    await chmod(join(env.XDG_RUNTIME_DIR, 'penguin'), 0o777)
    expect(await rememberedSupport(bwrap, env)).toBeUndefined()
  })
})
