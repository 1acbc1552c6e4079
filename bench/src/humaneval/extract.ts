/**
 * Turns a model's reply into code for one HumanEval problem. Replies come in every shape: a fenced
 * block or bare code, the whole function (with imports and helpers) or only its body, with or
 * without the body's indentation.
 */
export interface Completion {
  /**
   * `module`: code defining the entry point (and whatever it needs); it is appended after the
   * prompt and so replaces the prompt's stub. `body`: the function body, appended to the prompt.
   */
  kind: 'module' | 'body'
  code: string
}

const FENCE = /```([\w+-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g
const PYTHON_TAGS = new Set(['', 'python', 'py', 'python3'])

export function extractCompletion(reply: string, entryPoint: string): Completion {
  const code = pickCode(reply, entryPoint)
  if (definesFunction(code, entryPoint)) return { kind: 'module', code: dropMainGuard(code) }
  return { kind: 'body', code: indentBody(code) }
}

export function definesFunction(code: string, name: string): boolean {
  return new RegExp(`^\\s*(?:async\\s+)?def\\s+${name}\\s*\\(`, 'm').test(code)
}

/** The code block that answers the problem: the one defining the entry point, else the longest. */
function pickCode(reply: string, entryPoint: string): string {
  const blocks = [...reply.matchAll(FENCE)]
    .filter((match) => PYTHON_TAGS.has((match[1] ?? '').toLowerCase()))
    .map((match) => match[2] ?? '')
  if (blocks.length === 0) return reply.replace(/^\s*\n/, '')
  const defining = blocks.find((block) => definesFunction(block, entryPoint))
  if (defining !== undefined) return defining
  return blocks.reduce((longest, block) => (block.length > longest.length ? block : longest))
}

/** Example usage under `if __name__ == "__main__":` would run (and may wait for input): cut it. */
function dropMainGuard(code: string): string {
  const guard = /^if\s+__name__\s*==\s*['"]__main__['"]\s*:/m.exec(code)
  return guard ? code.slice(0, guard.index) : code
}

const indentOf = (line: string) => line.length - line.trimStart().length

/**
 * Makes a body sit inside the function. Left as is when its first line is indented. A body whose
 * first line alone lost its indentation (a common artefact of trimmed replies: the rest is at body
 * level or deeper) gets that line put back at body level; a body written flush left is indented as
 * a whole.
 */
export function indentBody(code: string): string {
  const lines = code.replace(/\s+$/, '').split('\n')
  const firstIndex = lines.findIndex((line) => line.trim() !== '')
  if (firstIndex === -1) return '    pass\n'
  const first = lines[firstIndex] as string
  if (indentOf(first) > 0) return `${lines.join('\n')}\n`
  const rest = lines.slice(firstIndex + 1).filter((line) => line.trim() !== '')
  if (rest.length && Math.min(...rest.map(indentOf)) >= 4) {
    // The rest already sits at body level (or deeper): only the first line lost its indentation.
    lines[firstIndex] = `    ${first}`
    return `${lines.join('\n')}\n`
  }
  return `${lines.map((line) => (line.trim() ? `    ${line}` : line)).join('\n')}\n`
}
