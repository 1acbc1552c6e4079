/** Small pure formatters shared by the summary table, the progress line, the reports and the CLI's human output. */

export function formatTokens(n: number): string {
  if (n < 1000) return String(n)
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`
  return `${(n / 1_000_000).toFixed(1)}M`
}

export function formatCost(usd: number): string {
  if (usd === 0) return '$0'
  if (usd < 0.01) return `$${usd.toFixed(4)}`
  return `$${usd.toFixed(2)}`
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  return `${minutes}m ${seconds}s`
}

export function formatRate(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(3)
}

/** A plain-text table: the first row is the header, columns padded to their widest cell. */
export function textTable(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  if (rows.length === 0) return ''
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  )
  const render = (row: ReadonlyArray<string>) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  const [header, ...body] = rows
  return [
    render(header ?? []),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...body.map(render),
  ].join('\n')
}

/** A Markdown table; pipes in cells are escaped. */
export function markdownTable(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const [header, ...body] = rows
  if (!header) return ''
  return [
    `| ${header.map(escapeCell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...body.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n')
}
