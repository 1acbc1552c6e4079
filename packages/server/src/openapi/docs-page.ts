/**
 * `GET /api/v1/docs`: a self-contained page listing every operation of the OpenAPI document. No
 * CDN scripts: the server is often offline or behind a firewall.
 */

interface OperationLike {
  summary?: string
  tags?: string[]
  operationId?: string
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete']

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

export function docsPage(document: { info: { title: string; version: string }; paths?: object }): string {
  const rows: { tag: string; method: string; path: string; summary: string }[] = []
  for (const [path, item] of Object.entries(document.paths ?? {}) as [
    string,
    Record<string, OperationLike>,
  ][]) {
    for (const method of METHODS) {
      const operation = item[method]
      if (!operation) continue
      rows.push({ tag: operation.tags?.[0] ?? 'other', method, path, summary: operation.summary ?? '' })
    }
  }
  const tags = [...new Set(rows.map((row) => row.tag))].sort()
  const sections = tags
    .map((tag) => {
      const items = rows
        .filter((row) => row.tag === tag)
        .map(
          (row) =>
            `<tr><td class="m ${row.method}">${row.method.toUpperCase()}</td><td><code>${escapeHtml(row.path)}</code></td><td>${escapeHtml(row.summary)}</td></tr>`,
        )
        .join('\n')
      return `<h2>${escapeHtml(tag)}</h2>\n<table>${items}</table>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(document.info.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td{padding:.25rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
.m{font-weight:600;width:4.5rem}.get{color:#1a7f37}.post{color:#0550ae}.patch,.put{color:#9a6700}.delete{color:#cf222e}
code{font-size:14px}
</style></head><body>
<h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
<p>All routes except <code>/healthz</code> and <code>/readyz</code> need <code>Authorization: Bearer &lt;token&gt;</code>.
The machine-readable document is <a href="openapi.json">openapi.json</a>.</p>
${sections}
</body></html>`
}
