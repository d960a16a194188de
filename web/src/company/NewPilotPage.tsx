import type { InferRequestType } from 'hono/client'
import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { call, client, me } from '../api.ts'
import { CategoryOptions } from '../components/options.tsx'
import { Field, fieldValue, Notice, problemText, usePageTitle } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { useStore } from '../store.ts'
import { PilotFields, type PilotTexts } from './PilotFields.tsx'

type Category = InferRequestType<typeof client.api.pilots.$post>['json']['category']

/** A company describes a new pilot: what is tested, why, and which data it collects. */
export default function NewPilotPage() {
  usePageTitle(t('newPilot'))
  const { route } = useLocation()
  const user = useStore(me)
  const [texts, setTexts] = useState<PilotTexts>({
    title: '',
    summary: '',
    publicDescription: '',
    dataCollected: '',
    contactEmail: user?.email ?? '',
    website: '',
  })
  const [category, setCategory] = useState('lighting')
  const [error, setError] = useState<string>()

  async function submit(e: Event) {
    e.preventDefault()
    try {
      const { website, ...rest } = texts
      const pilot = await call(
        client.api.pilots.$post({
          json: { ...rest, category: category as Category, ...(website ? { website } : {}) },
        }),
      )
      route(`/my/pilots/${pilot.id}`)
    } catch (err) {
      setError(problemText(err))
    }
  }

  // An old refusal goes as soon as the user changes what it was about.
  const edit = (next: PilotTexts) => {
    setTexts(next)
    setError(undefined)
  }

  return (
    <>
      <h1>{t('newPilot')}</h1>
      <form onSubmit={submit} class="stack">
        <PilotFields
          form={texts}
          onChange={edit}
          afterSummary={
            <Field label={t('category')} id="pilot-category">
              <select
                id="pilot-category"
                value={category}
                onChange={(e) => {
                  setCategory(fieldValue(e))
                  setError(undefined)
                }}
              >
                <CategoryOptions />
              </select>
            </Field>
          }
        />
        <button type="submit">{t('create')}</button>
        <Notice kind="error" message={error} />
      </form>
    </>
  )
}
