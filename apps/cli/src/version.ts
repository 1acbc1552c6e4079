import { readFileSync } from 'node:fs'

// Kept free of imports beyond node:fs so `penguin --version` costs almost nothing.

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}
