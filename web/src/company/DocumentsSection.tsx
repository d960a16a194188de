import { useRef, useState } from 'preact/hooks'
import { documentKinds } from '../../../api/domain/vocabulary.ts'
import { ApiProblem, call, client } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { Field, fieldValue, Loading, Notice, problemText, useLoad } from '../components/ui.tsx'
import { lang, type TextKey, t } from '../i18n.ts'

/** The pilot's documents, as the API lists them. */
export function loadDocuments(pilotId: string) {
  return call(client.api.pilots[':id'].documents.$get({ param: { id: pilotId } }))
}
type DocumentList = Awaited<ReturnType<typeof loadDocuments>>
export type PilotDocument = DocumentList['items'][number]

/** A document kind in the interface language. */
export function kindText(kind: string): string {
  const key = `docKind.${kind}` as TextKey
  const text = t(key)
  return text === key ? kind : text
}

/** A city date (`YYYY-MM-DD`) as the interface language writes it. */
export function dayText(date: string): string {
  return new Intl.DateTimeFormat(lang.value === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`))
}

/** A file size in bytes as people read it. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return t('docs.bytes', { n: bytes })
  if (bytes < 1024 * 1024) return t('docs.kib', { n: Math.round(bytes / 102.4) / 10 })
  return t('docs.mib', { n: Math.round(bytes / (1024 * 102.4)) / 10 })
}

/** Where a document's file is downloaded from (its organisation, the officials who review, admins). */
export const fileUrl = (id: string) => `/api/documents/${id}/file`

/** The problem an XMLHttpRequest answered with (problem+json), or a generic failure. */
function problemOf(xhr: XMLHttpRequest): ApiProblem {
  let body: ConstructorParameters<typeof ApiProblem>[1] = {}
  try {
    body = JSON.parse(xhr.responseText)
  } catch {
    body = { detail: `HTTP ${xhr.status}` }
  }
  return new ApiProblem(xhr.status, body)
}

/**
 * Sends the form with XMLHttpRequest, whose upload reports progress (fetch does not): resolves on
 * 201, rejects with the server's problem (413, 415, 422…) or a lost connection.
 */
function upload(pilotId: string, form: FormData, onProgress: (percent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `/api/pilots/${pilotId}/documents`)
    xhr.setRequestHeader('Accept-Language', lang.value)
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100))
    })
    xhr.addEventListener('load', () => (xhr.status === 201 ? resolve() : reject(problemOf(xhr))))
    xhr.addEventListener('error', () => reject(new Error(t('docs.uploadFailed'))))
    xhr.addEventListener('abort', () => reject(new Error(t('docs.uploadFailed'))))
    xhr.send(form)
  })
}

function UploadForm({ pilotId, onUploaded }: { pilotId: string; onUploaded: () => void }) {
  const [kind, setKind] = useState<string>('insurance')
  const [title, setTitle] = useState('')
  const [validUntil, setValidUntil] = useState('')
  const [progress, setProgress] = useState<number>()
  const [error, setError] = useState<string>()
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const fileInput = useRef<HTMLInputElement>(null)

  async function submit(e: Event) {
    e.preventDefault()
    if (progress !== undefined) return
    const file = fileInput.current?.files?.[0]
    setError(undefined)
    setFieldErrors({})
    const form = new FormData()
    form.set('kind', kind)
    form.set('title', title)
    if (validUntil) form.set('validUntil', validUntil)
    if (file) form.set('file', file)
    setProgress(0)
    try {
      await upload(pilotId, form, setProgress)
      setTitle('')
      setValidUntil('')
      if (fileInput.current) fileInput.current.value = ''
      onUploaded()
    } catch (err) {
      setError(problemText(err))
      if (err instanceof ApiProblem) {
        setFieldErrors(Object.fromEntries(err.errors.map((f) => [f.path.split('/')[0] ?? f.path, f.message])))
      }
    } finally {
      setProgress(undefined)
    }
  }

  return (
    <form class="stack narrow" onSubmit={submit} aria-labelledby="documents-upload-heading">
      <h3 id="documents-upload-heading">{t('docs.upload')}</h3>
      <Field label={t('docs.kind')} id="document-kind" error={fieldErrors.kind}>
        <select id="document-kind" value={kind} onChange={(e) => setKind(fieldValue(e))}>
          {documentKinds.map((k) => (
            <option key={k} value={k}>
              {kindText(k)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('docs.title')} id="document-title" error={fieldErrors.title}>
        <input
          id="document-title"
          required
          maxLength={200}
          value={title}
          onInput={(e) => setTitle(fieldValue(e))}
        />
      </Field>
      <Field
        label={t('docs.validUntil')}
        id="document-valid-until"
        hint={t('docs.validUntilHint')}
        error={fieldErrors.validUntil}
      >
        <input
          id="document-valid-until"
          type="date"
          required={kind !== 'other'}
          aria-describedby="document-valid-until-hint"
          value={validUntil}
          onInput={(e) => setValidUntil(fieldValue(e))}
        />
      </Field>
      <Field label={t('docs.file')} id="document-file" hint={t('docs.fileHint')} error={fieldErrors.file}>
        <input
          id="document-file"
          type="file"
          required
          ref={fileInput}
          aria-describedby="document-file-hint"
          accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
        />
      </Field>
      {progress !== undefined && (
        <p>
          <label for="document-progress">{t('docs.progress')}</label>{' '}
          <progress id="document-progress" max={100} value={progress}>
            {progress}%
          </progress>{' '}
          <span role="status">{t('docs.uploading', { percent: progress })}</span>
        </p>
      )}
      <Notice kind="error" message={error} />
      <p>
        <button type="submit" aria-disabled={progress !== undefined}>
          {t('docs.uploadButton')}
        </button>
      </p>
    </form>
  )
}

function DeleteDocument({ document, onDeleted }: { document: PilotDocument; onDeleted: () => void }) {
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string>()
  async function confirm() {
    try {
      await call(client.api.documents[':id'].$delete({ param: { id: document.id } }))
      return true
    } catch (err) {
      setError(problemText(err))
      return false
    }
  }
  return (
    <>
      <button
        type="button"
        class="secondary"
        aria-label={t('docs.deleteLabel', { title: document.title })}
        onClick={() => {
          setError(undefined)
          setOpen(true)
        }}
      >
        {t('docs.delete')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('docs.deleteTitle', { title: document.title })}
        confirmLabel={t('docs.delete')}
        cancelLabel={t('docs.keep')}
        error={error}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
        onDone={onDeleted}
        focusAfterConfirm={() => window.document.getElementById('documents-heading')}
      >
        <p>{t('docs.deleteHint')}</p>
      </ConfirmDialog>
    </>
  )
}

/**
 * The documents section of a company's pilot page (issue 19): the pilot's documents with their
 * downloads, an upload form that shows its progress, and delete with a confirmation. Errors are
 * the server's own sentences (413 too large, 415 not a PDF/PNG/JPEG, 422 fields).
 */
export function DocumentsSection({ pilotId }: { pilotId: string }) {
  const list = useLoad(() => loadDocuments(pilotId), [pilotId])
  const [message, setMessage] = useState<string>()
  const changed = (text: string) => {
    setMessage(text)
    list.reload()
  }
  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading" tabIndex={-1}>
        {t('docs.heading')}
      </h2>
      <p class="hint">{t('docs.lead')}</p>
      <Notice message={message} />
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('docs.none')}</p>
        ) : (
          <table class="documents">
            <thead>
              <tr>
                <th scope="col">{t('docs.kind')}</th>
                <th scope="col">{t('docs.title')}</th>
                <th scope="col">{t('docs.validUntil')}</th>
                <th scope="col">{t('docs.size')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('docs.file')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((d) => (
                <tr key={d.id}>
                  <td>{kindText(d.kind)}</td>
                  <td>{d.title}</td>
                  <td>{d.validUntil ? dayText(d.validUntil) : t('docs.noEnd')}</td>
                  <td>{sizeText(d.size)}</td>
                  <td>
                    <a
                      href={fileUrl(d.id)}
                      download={d.fileName}
                      aria-label={t('docs.downloadLabel', { title: d.title })}
                    >
                      {t('docs.download')}
                    </a>{' '}
                    <DeleteDocument document={d} onDeleted={() => changed(t('docs.deleted'))} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : (
        <Loading error={list.error} />
      )}
      <UploadForm pilotId={pilotId} onUploaded={() => changed(t('docs.uploaded'))} />
    </section>
  )
}
