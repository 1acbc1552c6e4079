/**
 * The Node side of `@penguin-ai/web`: where the built UI lives, and a framework-free handler that
 * serves it (files, then `index.html` for client-side routes). The UI itself is in `src/app`,
 * built by Vite to `dist/app`.
 */
export { webAssetsDir } from './assets-dir.js'
export {
  CONTENT_SECURITY_POLICY,
  isApiPath,
  type WebAssetOptions,
  webAssetResponse,
} from './node/static-files.js'
