import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'

/**
 * Swagger UI for /api/docs, served from this site rather than a CDN: it works offline and under
 * the content security policy (no inline script).
 */
function apiDocsAssets(): Plugin {
  const require = createRequire(import.meta.url)
  const dist = require.resolve('swagger-ui-dist/package.json').replace(/package\.json$/, '')
  return {
    name: 'api-docs-assets',
    generateBundle() {
      for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
        this.emitFile({ type: 'asset', fileName: `api-docs/${file}`, source: readFileSync(`${dist}${file}`) })
      }
      this.emitFile({
        type: 'asset',
        fileName: 'api-docs/init.js',
        source:
          "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true })\n",
      })
    },
  }
}

/**
 * The web app: Preact and FullCalendar, built into web/dist, which the Node entry serves and
 * Workers serve as static assets. `npm run dev:web` proxies /api to `npm start` on 8787.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [apiDocsAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 400,
    manifest: true,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
})
