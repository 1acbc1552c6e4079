export interface ChartPoint {
  label: string
  /** Total cost of the run, USD. */
  costUsd: number
  /** Fraction solved, 0..1. */
  score: number
  /** Drawn emphasised: the run the report is about. */
  current?: boolean
}

const W = 640
const H = 400
const M = { left: 64, right: 24, top: 40, bottom: 56 }

/**
 * A self-contained SVG scatter of cost (x) against share solved (y), one point per run, so runs of
 * several models in one results folder can be compared at a glance.
 */
export function costScoreChart(title: string, scoreLabel: string, points: readonly ChartPoint[]): string {
  const maxCost = Math.max(0, ...points.map((p) => p.costUsd))
  const xMax = maxCost > 0 ? niceCeil(maxCost * 1.1) : 1
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const x = (cost: number) => M.left + (cost / xMax) * plotW
  const y = (score: number) => M.top + (1 - score) * plotH
  const parts: string[] = []
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  parts.push(text(W / 2, 24, title, 'middle', 15, 'bold'))
  for (let i = 0; i <= 5; i++) {
    const score = i / 5
    parts.push(
      `<line x1="${M.left}" y1="${y(score)}" x2="${W - M.right}" y2="${y(score)}" stroke="#e5e7eb"/>`,
    )
    parts.push(text(M.left - 8, y(score) + 4, `${Math.round(score * 100)}%`, 'end', 11))
    const cost = (xMax * i) / 5
    parts.push(`<line x1="${x(cost)}" y1="${M.top}" x2="${x(cost)}" y2="${H - M.bottom}" stroke="#f3f4f6"/>`)
    parts.push(text(x(cost), H - M.bottom + 18, money(cost), 'middle', 11))
  }
  parts.push(
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#374151"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#374151"/>`,
    text(M.left + plotW / 2, H - 12, 'total cost (USD)', 'middle', 12),
    `<text x="16" y="${M.top + plotH / 2}" font-size="12" font-family="sans-serif" text-anchor="middle" transform="rotate(-90 16 ${M.top + plotH / 2})">${escapeXml(scoreLabel)}</text>`,
  )
  for (const point of points) {
    const cx = x(point.costUsd)
    const cy = y(Math.min(1, Math.max(0, point.score)))
    const fill = point.current ? '#2563eb' : '#9ca3af'
    parts.push(
      `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${point.current ? 7 : 5}" fill="${fill}"/>`,
    )
    const anchor = cx > W - M.right - 120 ? 'end' : 'start'
    const dx = anchor === 'end' ? -10 : 10
    parts.push(text(cx + dx, cy - 8, `${point.label} (${Math.round(point.score * 1000) / 10}%)`, anchor, 11))
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">\n${parts.join('\n')}\n</svg>\n`
}

function text(
  x: number,
  y: number,
  content: string,
  anchor: string,
  size: number,
  weight = 'normal',
): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" font-weight="${weight}" font-family="sans-serif" text-anchor="${anchor}">${escapeXml(content)}</text>`
}

export function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function money(usd: number): string {
  if (usd === 0) return '$0'
  return usd < 0.1 ? `$${usd.toPrecision(2)}` : `$${usd.toFixed(2)}`
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `value`. */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power
  return 10 * power
}
