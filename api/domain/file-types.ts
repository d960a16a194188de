/**
 * What a compliance document may be, judged by its bytes (never by its name or the client's
 * Content-Type), and how its name travels back in a download. Pure: no clock, no I/O.
 */
import { fileTypeFromBuffer } from 'file-type'

/** Largest file a document may be: 10 MiB. */
export const maxDocumentBytes = 10 * 1024 * 1024

/** Room for the multipart boundaries and the small text fields around the file. */
export const multipartOverheadBytes = 64 * 1024

/** The types a document may have, by the MIME type the sniffer names. */
export const documentTypes = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
} as const

export type DocumentType = keyof typeof documentTypes

/**
 * The document type of a file from its leading bytes, or undefined when it is none of PDF, PNG or
 * JPEG (a renamed executable, a ZIP, a text file…).
 *
 * @example
 * await sniffDocumentType(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])) // 'application/pdf'
 */
export async function sniffDocumentType(bytes: Uint8Array): Promise<DocumentType | undefined> {
  const found = await fileTypeFromBuffer(bytes.subarray(0, 4100))
  if (!found) return undefined
  return found.mime in documentTypes ? (found.mime as DocumentType) : undefined
}

/** Longest file name kept, in characters; longer ones keep their end (the extension). */
const maxFileNameLength = 200

/**
 * A file name safe to store and to send back: no folders, no control characters, no quotes or
 * characters that mean something in a header or a shell; never empty.
 *
 * @example
 * sanitiseFileName('../../etc/passwd\u0000.pdf') // 'passwd.pdf'
 */
export function sanitiseFileName(name: string, fallback = 'document'): string {
  const base = name.split(/[/\\]/).pop() ?? ''
  const cleaned = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f"*:<>?|;]/g, '')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
  const chars = Array.from(cleaned)
  const short = chars.length > maxFileNameLength ? chars.slice(-maxFileNameLength).join('') : cleaned
  return short === '' ? fallback : short
}

/** The name a download suggests: the sanitised name, with the extension its real type has. */
export function downloadName(fileName: string, type: string): string {
  const extension = documentTypes[type as DocumentType]
  const name = sanitiseFileName(fileName)
  if (!extension) return name
  const lower = name.toLowerCase()
  if (lower.endsWith(`.${extension}`) || (extension === 'jpg' && lower.endsWith('.jpeg'))) return name
  return `${name}.${extension}`
}

/**
 * A Content-Disposition header for a download (RFC 6266): an ASCII `filename` for old clients and
 * the exact name as RFC 5987 `filename*=UTF-8''…`.
 *
 * @example
 * contentDisposition('Полис.pdf') // attachment; filename="_____.pdf"; filename*=UTF-8''%D0%9F…
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_')
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
