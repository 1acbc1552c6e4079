/**
 * A strict parser for the Prometheus text exposition format 0.0.4, to check what `/metrics` serves
 * (the telemetry package's handler and the server's route). Throws on the first line that does not
 * conform, naming it; a family named twice is a TYPE after samples.
 */

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface Family {
  name: string
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'
  help?: string
  samples: Sample[]
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])

function parseValue(raw: string, line: string): number {
  if (raw === '+Inf') return Number.POSITIVE_INFINITY
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY
  if (raw === 'NaN') return Number.NaN
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`bad value "${raw}" in: ${line}`)
  return Number(raw)
}

function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {}
  let i = 1 // after '{'
  for (;;) {
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) }
    const eq = text.indexOf('=', i)
    if (eq < 0) throw new Error(`unterminated labels in: ${line}`)
    const name = text.slice(i, eq).trim()
    if (!LABEL.test(name)) throw new Error(`bad label name "${name}" in: ${line}`)
    if (name in labels) throw new Error(`duplicate label "${name}" in: ${line}`)
    if (text[eq + 1] !== '"') throw new Error(`label value not quoted in: ${line}`)
    let value = ''
    let j = eq + 2
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const next = text[++j]
        if (next === 'n') value += '\n'
        else if (next === '\\' || next === '"') value += next
        else throw new Error(`bad escape in: ${line}`)
      } else value += text[j]
    }
    if (text[j] !== '"') throw new Error(`unterminated label value in: ${line}`)
    labels[name] = value
    i = j + 1
    if (text[i] === ',') i++
    else if (text[i] !== '}') throw new Error(`expected , or } in: ${line}`)
  }
}

function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  for (const suffix of ['_bucket', '_sum', '_count', '']) {
    if (!name.endsWith(suffix)) continue
    const base = name.slice(0, name.length - suffix.length)
    const family = families.get(base)
    if (family && (suffix === '' || family.type === 'histogram' || family.type === 'summary')) return family
  }
  return undefined
}

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>()
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline')
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line)
      if (!match) continue // a comment
      const [, kind, name, rest] = match as unknown as [string, string, string, string]
      if (!NAME.test(name)) throw new Error(`bad metric name in: ${line}`)
      const family = families.get(name) ?? { name, type: 'untyped' as const, samples: [] }
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`bad type in: ${line}`)
        if (family.samples.length) throw new Error(`TYPE after samples in: ${line}`)
        family.type = rest as Family['type']
      } else family.help = rest
      families.set(name, family)
      continue
    }
    const nameEnd = line.search(/[{ ]/)
    if (nameEnd <= 0) throw new Error(`not a sample: ${line}`)
    const name = line.slice(0, nameEnd)
    if (!NAME.test(name)) throw new Error(`bad metric name "${name}" in: ${line}`)
    let rest = line.slice(nameEnd)
    let labels: Record<string, string> = {}
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line))
    const parts = rest.trim().split(/\s+/)
    if (parts.length < 1 || parts.length > 2 || parts[0] === '') throw new Error(`bad sample: ${line}`)
    const value = parseValue(parts[0]!, line)
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`bad timestamp in: ${line}`)
    const family = familyOf(name, families) ?? { name, type: 'untyped' as const, samples: [] }
    families.set(family.name, family)
    family.samples.push({ name, labels, value })
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family)
  return families
}

/** Buckets cumulative and non-decreasing; the +Inf bucket equals the count. */
function checkHistogram(family: Family): void {
  const series = new Map<string, Sample[]>()
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels
    const key = JSON.stringify(Object.entries(rest).sort())
    series.set(key, [...(series.get(key) ?? []), sample])
  }
  for (const samples of series.values()) {
    const buckets = samples.filter((s) => s.name === `${family.name}_bucket`)
    const count = samples.find((s) => s.name === `${family.name}_count`)
    if (!count || !samples.some((s) => s.name === `${family.name}_sum`))
      throw new Error(`${family.name}: a series without _count or _sum`)
    let previous = 0
    for (const bucket of buckets) {
      if (bucket.value < previous) throw new Error(`${family.name}: buckets not cumulative`)
      previous = bucket.value
    }
    const inf = buckets.find((b) => b.labels.le === '+Inf')
    if (!inf || inf.value !== count.value) throw new Error(`${family.name}: +Inf bucket differs from _count`)
  }
}
