import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { problemText } from '../components/ui.tsx'
import { t } from '../i18n.ts'

/**
 * A button for a change an admin should think twice about (disable, unpublish, delete): it opens
 * a confirmation dialog, which makes the change and shows the server's refusal if there is one.
 */
export function ConfirmButton(props: {
  label: string
  /** The button's full name for screen readers, e.g. "Disable ana@example.org". */
  ariaLabel?: string
  title: string
  confirmLabel: string
  action: () => Promise<unknown>
  onDone: () => void
  /** Where focus goes after the change, as the button itself may go with it. */
  focusAfter: () => HTMLElement | null
  children?: ComponentChildren
  class?: string
}) {
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string>()
  return (
    <>
      <button
        type="button"
        class={props.class ?? 'secondary'}
        aria-label={props.ariaLabel}
        onClick={() => setOpen(true)}
      >
        {props.label}
      </button>
      <ConfirmDialog
        open={open}
        title={props.title}
        confirmLabel={props.confirmLabel}
        cancelLabel={t('adm.keep')}
        error={error}
        onConfirm={async () => {
          try {
            await props.action()
            return true
          } catch (err) {
            setError(problemText(err))
            return false
          }
        }}
        focusAfterConfirm={props.focusAfter}
        onDone={props.onDone}
        onClose={() => {
          setOpen(false)
          setError(undefined)
        }}
      >
        {props.children}
      </ConfirmDialog>
    </>
  )
}
