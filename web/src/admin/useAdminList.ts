import { useState } from 'preact/hooks'
import { useLoad } from '../components/ui.tsx'

/** Moves focus to an element once the next frame has drawn it (a form that just opened, a heading). */
const focusSoon = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus())

/**
 * The scaffolding of an administration list (areas, sites): the rows, which one is being edited
 * (or a new one), and the status line. Opening the form moves focus to its heading; saving says
 * so, closes the form, reloads the rows and moves focus back to the section's heading.
 *
 * @example
 * const list = useAdminList(() => call(client.api.areas.$get({ query: { limit: '500' } })), {
 *   heading: 'areas-heading',
 *   formHeading: 'area-form-heading',
 * })
 */
export function useAdminList<T extends { id: string }>(
  load: () => Promise<{ items: T[] }>,
  ids: { heading: string; formHeading: string },
) {
  const rows = useLoad(load)
  const [editing, setEditing] = useState<T | 'new'>()
  const [message, setMessage] = useState<string>()
  const done = (text: string) => {
    setMessage(text)
    setEditing(undefined)
    rows.reload()
    focusSoon(ids.heading)
  }
  return {
    rows,
    message,
    done,
    /** The row being edited; undefined for a new one (and while nothing is). */
    editing: editing === 'new' ? undefined : editing,
    isOpen: editing !== undefined,
    /** A key that remounts the form when another row is opened. */
    formKey: editing === 'new' ? 'new' : (editing?.id ?? ''),
    open: (target: T | 'new') => {
      setEditing(target)
      focusSoon(ids.formHeading)
    },
    close: () => setEditing(undefined),
    heading: () => document.getElementById(ids.heading),
  }
}
