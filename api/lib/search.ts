/** A LIKE pattern matching `text` anywhere, its wildcards taken literally ("50%" means those characters). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
}
