import { useEffect, useState } from 'preact/hooks'

/** A value that components can watch: the language, the signed-in user. */
export interface Store<T> {
  value: T
  subscribe(listener: (value: T) => void): () => void
}

export function store<T>(initial: T): Store<T> {
  let current = initial
  const listeners = new Set<(value: T) => void>()
  return {
    get value() {
      return current
    },
    set value(next: T) {
      current = next
      for (const listener of listeners) listener(next)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** Re-renders the component whenever the store changes. */
export function useStore<T>(s: Store<T>): T {
  const [value, setValue] = useState(s.value)
  useEffect(() => {
    setValue(s.value)
    return s.subscribe(setValue)
  }, [s])
  return value
}
