import { fileURLToPath } from 'node:url'

/** The directory of the built UI (`index.html` and `assets/`), to be served at `/`. */
export function webAssetsDir(): string {
  // src/node/*.ts and dist/node/*.js both sit two levels below the package root.
  return fileURLToPath(new URL('../../dist/app', import.meta.url))
}
