/**
 * Syntax highlighting for code blocks: one small tokenizer (comments, strings, numbers, keywords)
 * with keyword sets per language family. Line by line, so it works while the block streams in.
 * Pure; the text is already safe to print (control characters spelled out).
 */
import type { Style } from './ansi.js'

const JS = `break case catch class const continue debugger default delete do else export extends finally for
function if import in instanceof let new return super switch this throw try typeof var void while with
yield async await of static get set true false null undefined interface type enum implements private
protected public readonly abstract declare namespace as from keyof satisfies`
const PY = `and as assert async await break class continue def del elif else except finally for from global if
import in is lambda nonlocal not or pass raise return try while with yield True False None self match case`
const GO = `break case chan const continue default defer else fallthrough for func go goto if import interface
map package range return select struct switch type var true false nil`
const RUST = `as async await break const continue crate dyn else enum extern false fn for if impl in let loop
match mod move mut pub ref return self Self static struct super trait true type unsafe use where while Some
None Ok Err`
const SH = `if then else elif fi case esac for while until do done in function return local export set unset
echo cd exit source alias true false`
const C = `auto break case char const continue default do double else enum extern float for goto if int long
register return short signed sizeof static struct switch typedef union unsigned void volatile while class
public private protected virtual template typename namespace using new delete true false nullptr this throw
try catch bool package import final extends implements interface boolean String null`
const SQL = `select from where insert into values update set delete create table drop alter add join left
right inner outer on group by order having limit offset as and or not null is in like primary key
foreign references distinct union all`

interface Language {
  keywords: Set<string>
  line: string[]
  /** Keywords match case-insensitively (SQL). */
  caseless?: boolean
}

const words = (text: string) => new Set(text.split(/\s+/).filter(Boolean))

const FAMILIES: Array<[string[], Language]> = [
  [
    ['js', 'jsx', 'ts', 'tsx', 'javascript', 'typescript', 'mjs', 'cjs', 'json', 'jsonc'],
    { keywords: words(JS), line: ['//'] },
  ],
  [['py', 'python'], { keywords: words(PY), line: ['#'] }],
  [['go', 'golang'], { keywords: words(GO), line: ['//'] }],
  [['rs', 'rust'], { keywords: words(RUST), line: ['//'] }],
  [['sh', 'bash', 'zsh', 'shell', 'console', 'fish'], { keywords: words(SH), line: ['#'] }],
  [
    ['c', 'h', 'cpp', 'c++', 'cc', 'java', 'kotlin', 'cs', 'csharp', 'swift', 'scala'],
    { keywords: words(C), line: ['//'] },
  ],
  [['sql'], { keywords: words(SQL), line: ['--'], caseless: true }],
  [
    ['yaml', 'yml', 'toml', 'ini', 'dockerfile', 'makefile', 'rb', 'ruby'],
    { keywords: words('true false null nil'), line: ['#'] },
  ],
]

export function languageOf(tag: string): Language | undefined {
  const name = tag.trim().toLowerCase().split(/[\s{]/)[0] ?? ''
  return FAMILIES.find(([names]) => names.includes(name))?.[1]
}

/** One line of code, coloured. Unknown languages come back unchanged. */
export function highlightLine(line: string, tag: string, style: Style): string {
  const language = languageOf(tag)
  if (!language || !style.color) return line
  let out = ''
  let i = 0
  while (i < line.length) {
    const rest = line.slice(i)
    const comment = language.line.find((marker) => rest.startsWith(marker))
    if (comment && (comment !== '#' || i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      out += style.dim(rest)
      break
    }
    const quote = rest[0]
    if (quote === '"' || quote === "'" || quote === '`') {
      const match = new RegExp(`^${quote}(?:\\\\.|[^\\\\${quote}])*(?:${quote}|$)`).exec(rest)
      const text = match?.[0] ?? rest
      out += style.green(text)
      i += text.length
      continue
    }
    const number = /^(?:0x[\da-f]+|\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?)\b/i.exec(rest)
    if (number && !/[\w$]/.test(line[i - 1] ?? '')) {
      out += style.yellow(number[0])
      i += number[0].length
      continue
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(rest)
    if (word) {
      const token = word[0]
      const keyword = language.keywords.has(language.caseless ? token.toLowerCase() : token)
      out += keyword ? style.magenta(token) : /^[A-Z][a-z]/.test(token) ? style.cyan(token) : token
      i += token.length
      continue
    }
    out += rest[0]
    i++
  }
  return out
}
