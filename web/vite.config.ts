import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

/**
 * The web app: Preact and FullCalendar, built into web/dist, which the Node entry serves and
 * Workers serve as static assets. `npm run dev:web` proxies /api to `npm start` on 8787.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
})
