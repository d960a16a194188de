import { t } from '../i18n.ts'
import { ConfirmButton } from './ConfirmButton.tsx'

/** Publish or unpublish an area or a site, after a confirmation that says what follows. */
export function PublishToggle(props: {
  name: string
  published: boolean
  save: (published: boolean) => Promise<unknown>
  onDone: (message: string) => void
  focusAfter: () => HTMLElement | null
}) {
  const next = !props.published
  return (
    <ConfirmButton
      label={t(next ? 'adm.publish' : 'adm.unpublish')}
      ariaLabel={t(next ? 'adm.publishWho' : 'adm.unpublishWho', { name: props.name })}
      title={t(next ? 'adm.publishTitle' : 'adm.unpublishTitle', { name: props.name })}
      confirmLabel={t(next ? 'adm.publish' : 'adm.unpublish')}
      action={() => props.save(next)}
      onDone={() => props.onDone(t(next ? 'adm.published' : 'adm.unpublished', { name: props.name }))}
      focusAfter={props.focusAfter}
    >
      <p>{t(next ? 'adm.publishHint' : 'adm.unpublishHint')}</p>
    </ConfirmButton>
  )
}

/** A number field's text as the API wants it: undefined when empty. */
export const numberOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text))
