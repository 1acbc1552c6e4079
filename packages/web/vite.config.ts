import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

// The UI is built to dist/app (dist/ also holds the compiled Node entry, src/assets.ts).
// `pnpm dev` proxies the API to a running `penguin serve` (PENGUIN_API, default :8787).
const api = process.env.PENGUIN_API ?? 'http://127.0.0.1:8787'

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@penguin-ai/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/healthz': api,
    },
  },
})
