import { describe, expect, it } from 'vitest'
import { json, testApp } from '../helpers/app.ts'

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and describes every API route the app serves', async () => {
    const { app } = await testApp()
    const res = await app.request('/api/openapi.json')
    expect(res.status).toBe(200)
    const doc = await json(res)
    expect(doc.openapi).toBe('3.1.0')
    const documented = new Set<string>()
    for (const [path, operations] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(operations)) documented.add(`${method.toUpperCase()} ${path}`)
    }
    const served = app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
      .filter((r) => !['/api/openapi.json', '/api/docs'].includes(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    expect(served.length).toBeGreaterThanOrEqual(6)
    for (const route of served) expect(documented, route).toContain(route)
  })

  it('serves a documentation page', async () => {
    const { app } = await testApp()
    const res = await app.request('/api/docs')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('/api/openapi.json')
  })
})
