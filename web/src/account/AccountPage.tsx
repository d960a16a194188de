import { useState } from 'preact/hooks'
import { call, client, me } from '../api.ts'
import { Loading, Notice, problemText, useLoad, usePageTitle } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { useStore } from '../store.ts'

type Choice = 'each' | 'digest' | 'auto'
const choices: Choice[] = ['auto', 'each', 'digest']

/** How an official or admin hears of requests to review: one radio group, saved with one PATCH. */
function ReviewMailForm({
  initial,
  effective,
}: {
  initial: Choice
  effective: 'each' | 'digest' | undefined
}) {
  const [choice, setChoice] = useState<Choice>(initial)
  const [now, setNow] = useState(effective)
  const [message, setMessage] = useState<{ text: string; kind: 'info' | 'error' }>()
  const [busy, setBusy] = useState(false)
  async function save(e: Event) {
    e.preventDefault()
    setBusy(true)
    try {
      const saved = await call(client.api.me.$patch({ json: { reviewMail: choice } }))
      setNow(saved.reviewMailEffective)
      setMessage({ text: t('account.saved'), kind: 'info' })
    } catch (error) {
      setMessage({ text: problemText(error), kind: 'error' })
    } finally {
      setBusy(false)
    }
  }
  return (
    <form onSubmit={save}>
      <fieldset>
        <legend>{t('account.reviewMail')}</legend>
        {choices.map((c) => (
          <div key={c} class="choice">
            <input
              type="radio"
              id={`review-mail-${c}`}
              name="reviewMail"
              value={c}
              checked={choice === c}
              aria-describedby={`review-mail-${c}-hint`}
              onChange={() => setChoice(c)}
            />
            <label for={`review-mail-${c}`}>{t(`account.${c}`)}</label>
            <p class="hint" id={`review-mail-${c}-hint`}>
              {t(`account.${c}Hint`)}
            </p>
          </div>
        ))}
      </fieldset>
      {now && <p>{t('account.now', { mode: t(`account.${now}`).toLowerCase() })}</p>}
      <button type="submit" disabled={busy}>
        {t('account.save')}
      </button>
      <Notice message={message?.text} kind={message?.kind} />
    </form>
  )
}

/** The signed-in user's account: for now, how they hear of requests to review (issue 17). */
export default function AccountPage() {
  usePageTitle(t('account'))
  const user = useStore(me)
  const loaded = useLoad(() => call(client.api.me.$get()), [user?.id])
  if (user === null) return <Notice kind="error" message={t('signIn')} />
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title" tabIndex={-1}>
        {t('account')}
      </h1>
      {!loaded.data ? (
        <Loading error={loaded.error} />
      ) : loaded.data.reviewMail ? (
        <ReviewMailForm initial={loaded.data.reviewMail} effective={loaded.data.reviewMailEffective} />
      ) : (
        <p>{t('account.noChoice')}</p>
      )}
    </section>
  )
}
