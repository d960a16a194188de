import type { ComponentChildren } from 'preact'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { Notice } from './ui.tsx'

/**
 * A modal question before a change that cannot be taken back: a native `<dialog>`, so focus
 * moves into it (to its first field, else the confirming button), stays inside while it is open,
 * and Escape closes it. `onConfirm` makes the change and says whether it succeeded; the dialog
 * then closes, focus goes to `focusAfterConfirm` (the element that opened it may go with the
 * change), and `onDone` follows. Closed without confirming, focus goes back to that element.
 */
export function ConfirmDialog(props: {
  open: boolean
  title: string
  confirmLabel: string
  cancelLabel: string
  error?: string | undefined
  onConfirm: () => Promise<boolean>
  onDone?: () => void
  onClose: () => void
  focusAfterConfirm?: () => HTMLElement | null
  children?: ComponentChildren
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const opener = useRef<HTMLElement | null>(null)
  const confirmed = useRef(false)
  const [busy, setBusy] = useState(false)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (props.open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
      confirmed.current = false
      dialog.showModal()
    } else if (!props.open && dialog.open) dialog.close()
  }, [props.open])

  async function submit(e: Event) {
    e.preventDefault()
    if (busy) return
    setBusy(true)
    const done = await props.onConfirm().finally(() => setBusy(false))
    if (!done) return
    confirmed.current = true
    ref.current?.close()
  }

  function closed() {
    const target = confirmed.current ? props.focusAfterConfirm?.() : opener.current
    if (target?.isConnected) target.focus()
    props.onClose()
    if (confirmed.current) props.onDone?.()
  }
  // Escape, the Keep button and a confirmed change all end in the dialog's close event.
  const onClosed = useRef(closed)
  onClosed.current = closed
  useEffect(() => {
    const dialog = ref.current
    const listener = () => onClosed.current()
    dialog?.addEventListener('close', listener)
    return () => dialog?.removeEventListener('close', listener)
  }, [])

  return (
    <dialog ref={ref} aria-labelledby={titleId} class="confirm">
      <form onSubmit={submit}>
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
        <Notice kind="error" message={props.error} />
        <p class="actions">
          {/* aria-disabled, not disabled: a disabled button would drop the focus while it works. */}
          <button type="submit" aria-disabled={busy}>
            {props.confirmLabel}
          </button>{' '}
          <button type="button" class="secondary" onClick={() => ref.current?.close()}>
            {props.cancelLabel}
          </button>
        </p>
      </form>
    </dialog>
  )
}
