/**
 * Serving the built UI from Node with SPA fallback, as a `Request → Response | undefined` function
 * any server can mount (Hono: `app.use('*', async (c, next) => (await webAssetResponse(c.req.raw)) ?? next())`).
 * Undefined means "not mine": API paths, other methods, and missing files that look like files.
 */
import { readFile, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { webAssetsDir } from '../assets-dir.js'
import { contentType } from './content-types.js'

export interface WebAssetOptions {
  /** The built UI; default `webAssetsDir()`. */
  dir?: string
  /** Paths left to the API (never answered with the UI); default `isApiPath`. */
  isApiPath?: (pathname: string) => boolean
}

/** `/api/…`, `/healthz`, `/readyz` and `/metrics` belong to the API. */
export function isApiPath(pathname: string): boolean {
  return (
    pathname === '/api' ||
    pathname.startsWith('/api/') ||
    pathname === '/healthz' ||
    pathname === '/readyz' ||
    pathname === '/metrics'
  )
}

/** The page's Content-Security-Policy: everything from this origin, nothing inline but styles. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ')

export async function webAssetResponse(
  request: Request,
  options: WebAssetOptions = {},
): Promise<Response | undefined> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(request.url).pathname)
  } catch {
    return undefined
  }
  if ((options.isApiPath ?? isApiPath)(pathname) || pathname.includes('\0')) return undefined
  const root = resolve(options.dir ?? webAssetsDir())
  const file = resolve(join(root, pathname))
  if (file !== root && !file.startsWith(root + sep)) return undefined
  const head = request.method === 'HEAD'
  if (pathname !== '/' && (await isFile(file))) return fileResponse(file, pathname, head)
  // A client-side route (no extension): the app's page. A missing `/x.js` stays a 404.
  if (extname(pathname) === '') return fileResponse(join(root, 'index.html'), '/index.html', head)
  return undefined
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

async function fileResponse(file: string, pathname: string, head: boolean): Promise<Response | undefined> {
  let body: Buffer
  try {
    body = await readFile(file)
  } catch {
    return undefined
  }
  const extension = extname(file)
  const headers: Record<string, string> = {
    'content-type': contentType(extension),
    'content-length': String(body.byteLength),
    'x-content-type-options': 'nosniff',
    // Vite's hashed files never change; the page must be fetched afresh to pick up a new build.
    'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  }
  if (extension === '.html') {
    headers['content-security-policy'] = CONTENT_SECURITY_POLICY
    headers['referrer-policy'] = 'no-referrer'
  }
  return new Response(head ? null : new Uint8Array(body), { status: 200, headers })
}
