import { useState } from 'preact/hooks'
import { ApiProblem } from '../api.ts'
import { Field, Notice, problemText } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { sendFeedback } from './residents.ts'

/** A resident's message to a pilot's team and the city: no account, an e-mail only if they want an answer. */
export function FeedbackForm({ pilotId }: { pilotId: string }) {
  const [message, setMessage] = useState('')
  const [email, setEmail] = useState('')
  const [busy, setBusy] = useState(false)
  const [sent, setSent] = useState(false)
  const [error, setError] = useState<string>()

  async function submit(e: Event) {
    e.preventDefault()
    if (busy) return
    if (!message.trim()) {
      setError(t('feedbackForm.empty'))
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      await sendFeedback(pilotId, {
        message: message.trim(),
        ...(email.trim() ? { email: email.trim() } : {}),
      })
      setSent(true)
    } catch (err) {
      setError(err instanceof ApiProblem && err.status === 429 ? t('feedbackForm.tooMany') : problemText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="feedback" aria-labelledby="feedback-heading">
      <h2 id="feedback-heading">{t('feedbackForm.heading')}</h2>
      {sent ? (
        <Notice message={t('feedbackForm.thanks')} />
      ) : (
        <form onSubmit={submit} noValidate>
          <p class="hint">{t('feedbackForm.hint')}</p>
          <Field label={t('feedbackForm.message')} id="feedback-message">
            <textarea
              id="feedback-message"
              rows={5}
              maxLength={2000}
              required
              value={message}
              onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
            />
          </Field>
          <Field label={t('feedbackForm.email')} id="feedback-email">
            <input
              id="feedback-email"
              type="email"
              autocomplete="email"
              value={email}
              onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
            />
          </Field>
          <button type="submit" aria-disabled={busy}>
            {busy ? t('loading') : t('feedbackForm.send')}
          </button>
          <Notice kind="error" message={error} />
        </form>
      )}
    </section>
  )
}
