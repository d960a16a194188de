/**
 * What several drills ask of a demo-mode server over HTTP: the demo company's token, and a pilot
 * of its own to write bookings or documents for.
 */

/** Signs the demo company in; throws when the server does not answer 200. */
export async function signInDemoCompany(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'company@example.org', password: 'testbed-demo' }),
  })
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`)
  return ((await res.json()) as { token: string }).token
}

/** The answer to creating a pilot titled `title`: its status, and its id when it was made. */
export async function postPilot(base: string, token: string, title: string, summary: string) {
  const res = await fetch(`${base}/api/pilots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      title,
      summary,
      category: 'lighting',
      publicDescription: `A drill: ${summary}`,
      dataCollected: 'None.',
      contactEmail: 'drill@example.org',
    }),
  })
  const text = await res.text()
  return {
    status: res.status,
    text,
    id: res.status === 201 ? (JSON.parse(text) as { id: string }).id : undefined,
  }
}

/** Creates a pilot; throws unless the server made it (201). */
export async function newPilot(base: string, token: string, title: string, summary: string): Promise<string> {
  const made = await postPilot(base, token, title, summary)
  if (!made.id) throw new Error(`creating a pilot answered ${made.status}: ${made.text}`)
  return made.id
}
