import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listTrust, revokeTrust, setTrust, trustOf } from '../src/index.js'
import { home } from './helpers.js'

describe('the trust list in the user config', () => {
  it('is written atomically, keeping every other setting of the file', async () => {
    const h = home()
    mkdirSync(dirname(h.userConfig), { recursive: true })
    writeFileSync(h.userConfig, JSON.stringify({ model: 'openai/gpt-4o', permissions: [] }), { mode: 0o640 })
    const trusted = await setTrust(h.workspace, true, { env: h.env })
    expect(trusted).toBe(h.workspace)
    const json = JSON.parse(readFileSync(h.userConfig, 'utf8'))
    expect(json).toEqual({
      model: 'openai/gpt-4o',
      permissions: [],
      trust: { [h.workspace]: true },
      trustedAt: { [h.workspace]: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) },
    })
    expect(statSync(h.userConfig).mode & 0o777).toBe(0o640)
    // No temporary file left beside it.
    expect(readdirSync(dirname(h.userConfig))).toEqual(['config.json'])
    expect(await listTrust({ env: h.env })).toEqual([{ path: h.workspace, trusted: true }])
  })

  it('creates the file (and its folder) when there is none', async () => {
    const h = home()
    await setTrust(h.workspace, true, { env: h.env })
    const json = JSON.parse(readFileSync(h.userConfig, 'utf8'))
    expect(json).toEqual({ trust: { [h.workspace]: true }, trustedAt: { [h.workspace]: expect.any(String) } })
    // Declining drops the time: only trust covers agent configuration as it was then.
    await setTrust(h.workspace, false, { env: h.env })
    expect(JSON.parse(readFileSync(h.userConfig, 'utf8'))).toEqual({ trust: { [h.workspace]: false } })
  })

  it('leaves a file that is not JSON alone and says so', async () => {
    const h = home()
    h.writeUser('{ "model": ')
    await expect(setTrust(h.workspace, true, { env: h.env })).rejects.toThrow(/not valid JSON.*not changed/)
    expect(readFileSync(h.userConfig, 'utf8')).toBe('{ "model": ')
  })

  it('revoking removes the entry, or records false under a trusted parent', async () => {
    const h = home()
    await setTrust(h.workspace, true, { env: h.env })
    expect(await revokeTrust(h.workspace, { env: h.env })).toEqual({ workspace: h.workspace, removed: true })
    expect(await listTrust({ env: h.env })).toEqual([])
    expect(JSON.parse(readFileSync(h.userConfig, 'utf8'))).toEqual({})

    await setTrust(h.root, true, { env: h.env })
    const result = await revokeTrust(h.workspace, { env: h.env })
    expect(result).toEqual({ workspace: h.workspace, removed: false, coveredBy: h.root })
    expect(trustOf(h.workspace, JSON.parse(readFileSync(h.userConfig, 'utf8')).trust).state).toBe('declined')
  })

  it('trusting a directory that does not exist is an error', async () => {
    const h = home()
    await expect(setTrust(join(h.root, 'nope'), true, { env: h.env })).rejects.toThrow(/does not exist/)
  })

  it('a decision covers subdirectories, never siblings with a common prefix', () => {
    const list = { '/work/app': true }
    expect(trustOf('/work/app/packages/x', list).state).toBe('trusted')
    expect(trustOf('/work/app2', list).state).toBe('unknown')
    expect(trustOf('/work', list).state).toBe('unknown')
  })
})
