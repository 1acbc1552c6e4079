/** `1 match`, `3 matches`, `1,200 entries`: a count with its noun, for summaries. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`
}
