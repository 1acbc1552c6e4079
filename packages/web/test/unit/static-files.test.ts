import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isApiPath, webAssetResponse, webAssetsDir } from '../../src/assets.js'

const dir = mkdtempSync(join(tmpdir(), 'penguin-web-assets-'))
mkdirSync(join(dir, 'assets'))
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Penguin</title>')
writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)')
writeFileSync(join(dir, 'favicon.svg'), '<svg/>')
writeFileSync(join(tmpdir(), 'secret.txt'), 'no')

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const get = (path: string, method = 'GET') =>
  webAssetResponse(new Request(`http://x${path}`, { method }), { dir })

describe('webAssetResponse', () => {
  it('serves built files with their type; hashed assets are cached for good, the page never', async () => {
    const script = await get('/assets/index-abc.js')
    expect(script?.status).toBe(200)
    expect(script?.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(script?.headers.get('cache-control')).toContain('immutable')
    expect(await script?.text()).toBe('console.log(1)')
    const icon = await get('/favicon.svg')
    expect(icon?.headers.get('content-type')).toBe('image/svg+xml')
    expect(icon?.headers.get('cache-control')).toBe('no-cache')
  })

  it('answers client-side routes with the page, with a content security policy', async () => {
    for (const path of ['/', '/sessions/ses_1', '/projects/2/tasks/3']) {
      const page = await get(path)
      expect(page?.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(page?.headers.get('content-security-policy')).toContain("default-src 'self'")
      expect(await page?.text()).toContain('<title>Penguin</title>')
    }
    const head = await get('/sessions', 'HEAD')
    expect(head?.status).toBe(200)
    expect(await head?.text()).toBe('')
  })

  it('leaves the API, other methods, missing files and escapes alone', async () => {
    for (const path of ['/api/v1/sessions', '/api', '/healthz', '/readyz', '/metrics']) {
      expect(await get(path)).toBeUndefined()
    }
    expect(await get('/sessions', 'POST')).toBeUndefined()
    expect(await get('/assets/missing.js')).toBeUndefined()
    expect(await get('/..%2Fsecret.txt')).toBeUndefined()
    expect(await get('/%2e%2e/secret.txt')).toBeUndefined()
    expect(await get('/%E0%A4%A')).toBeUndefined()
  })

  it('knows its own build and the API paths', () => {
    expect(webAssetsDir()).toMatch(/packages[/\\]web[/\\]dist[/\\]app$/)
    expect(isApiPath('/api/v1/x')).toBe(true)
    expect(isApiPath('/apix')).toBe(false)
  })
})
