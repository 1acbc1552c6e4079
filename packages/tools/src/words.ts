/** `1 match`, `3 matches`, `1,200 entries`: a count with its noun, for summaries. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`
}

/** `(+3 -1)`, `(+3)` or `(-20)`: a change's size in a summary. */
export function changeCounts(added: number, removed: number): string {
  const parts = [added || !removed ? `+${added}` : '', removed ? `-${removed}` : ''].filter(Boolean)
  return `(${parts.join(' ')})`
}
