import { fileURLToPath } from 'node:url'

/**
 * The template directory `penguin demo` copies. This module sits directly in src/ so the path is
 * the same from the sources, from a tsc build and from the bundle's dist/: one level below the
 * package root, where `demo/` is.
 */
export const SAMPLE_DIR = fileURLToPath(new URL('../demo/sample/', import.meta.url))
