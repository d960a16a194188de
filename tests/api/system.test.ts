import { describe, expect, it } from 'vitest'
import { json, testApp } from '../helpers/app.ts'

describe('health and reference data', () => {
  it('reports the database it runs on', async () => {
    const { app, kind } = await testApp()
    const res = await app.request('/api/health')
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ status: 'ok', database: kind })
    expect(kind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite')
  })

  it('lists the eight categories of docs/api.md, in English by default', async () => {
    const { app } = await testApp()
    const body = await json(await app.request('/api/categories'))
    expect(body.items.map((c: { id: string }) => c.id)).toEqual([
      'lighting',
      'construction',
      'digital',
      'tourism',
      'mobility',
      'energy',
      'environment',
      'other',
    ])
    expect(body.items[0]).toEqual({
      id: 'lighting',
      name: 'Lighting',
      names: { en: 'Lighting', ru: 'Освещение' },
    })
  })

  it('names categories in Russian when the browser prefers Russian', async () => {
    const { app } = await testApp()
    const res = await app.request('/api/categories', {
      headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' },
    })
    const body = await json(res)
    expect(body.items.find((c: { id: string }) => c.id === 'tourism').name).toBe('Туристические сервисы')
  })

  it('lists industry clusters', async () => {
    const { app } = await testApp()
    const body = await json(await app.request('/api/clusters?lang=ru'))
    expect(body.items.length).toBeGreaterThanOrEqual(5)
    expect(body.items.find((c: { id: string }) => c.id === 'ict').name).toBe('ИКТ')
  })
})
