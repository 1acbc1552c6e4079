/** Splits git's `-z` output into its NUL-terminated fields; paths with newlines or quotes stay intact. */
export function splitNul(output: Buffer): string[] {
  const fields = output.toString('utf8').split('\0')
  if (fields.at(-1) === '') fields.pop()
  return fields
}

/** Input for `--pathspec-from-file=- --pathspec-file-nul`. */
export function joinNul(values: Iterable<string>): string {
  let text = ''
  for (const value of values) text += `${value}\0`
  return text
}
