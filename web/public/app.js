const list = document.getElementById('areas')
try {
  const res = await fetch('/api/areas')
  const { items } = await res.json()
  list.replaceChildren(
    ...items.map((area) => {
      const li = document.createElement('li')
      li.textContent = `${area.name}: ${area.description}`
      return li
    }),
  )
} catch {
  list.innerHTML = '<li>The list of areas could not be loaded.</li>'
}
