/**
 * Place search text: lower case, with ё read as е, so that "Ёлочная", "елочная" and "ЕЛОЧНАЯ"
 * match alike. Both the stored text and the query pass through `normaliseSearchText`, in the
 * application rather than in SQL, because `lower()` of Cyrillic depends on the database's locale.
 */
export function normaliseSearchText(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е')
}

/** What a place is found by: its name and its address, normalised. */
export function placeSearchText(name: string, address: string | null | undefined): string {
  return normaliseSearchText(address ? `${name}\n${address}` : name)
}

/** How many words of a query count; the rest are ignored. */
export const maxSearchWords = 8

/**
 * The distinct words of a query, normalised: split on anything that is neither a letter nor a
 * digit ("Невский пр., 28" → невский, пр, 28), at most `maxSearchWords`.
 */
export function searchWords(query: string): string[] {
  const words = normaliseSearchText(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
  return [...new Set(words)].slice(0, maxSearchWords)
}
