/**
 * JSON with comments and trailing commas (opencode.jsonc, VS Code style settings), turned into plain
 * JSON text: comments become spaces, a comma before `}` or `]` goes. Strings are left untouched.
 */
export function stripJsonComments(text: string): string {
  return dropTrailingCommas(dropComments(text))
}

function dropComments(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const char = text[i] as string
    const next = text[i + 1]
    if (char === '"') {
      const end = stringEnd(text, i)
      out += text.slice(i, end)
      i = end
    } else if (char === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end === -1 ? text.length : end + 2
      out += ' '
    } else {
      out += char
      i++
    }
  }
  return out
}

function dropTrailingCommas(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const char = text[i] as string
    if (char === '"') {
      const end = stringEnd(text, i)
      out += text.slice(i, end)
      i = end
      continue
    }
    if (char === ',') {
      let j = i + 1
      while (j < text.length && /\s/.test(text[j] as string)) j++
      if (text[j] === '}' || text[j] === ']') {
        i++
        continue
      }
    }
    out += char
    i++
  }
  return out
}

/** The index just past the string starting at `start` (a `"`), escapes included. */
function stringEnd(text: string, start: number): number {
  let i = start + 1
  while (i < text.length) {
    if (text[i] === '\\') i += 2
    else if (text[i] === '"') return i + 1
    else i++
  }
  return text.length
}
