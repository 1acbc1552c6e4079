import { fileURLToPath } from 'node:url'

/** The directory of the built UI (`index.html` and `assets/`), to be served at `/`. */
export function webAssetsDir(): string {
  // This module sits directly in src/ (and dist/, and the penguin-ai bundle's dist/), one level
  // below the package root: keep it there, the bundle relies on it (see "penguinAssets").
  return fileURLToPath(new URL('../dist/app', import.meta.url))
}
