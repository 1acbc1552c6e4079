/**
 * What the user brings into a prompt themselves: files named with `@path` (their text attached to
 * the message) and the output of a `!command` they ran (shown to the agent with the next message).
 */
import { spawn } from 'node:child_process'
import { readFile, realpath, stat } from 'node:fs/promises'
import { relative, resolve } from 'node:path'

/** Bigger files are attached cut, with a note. */
const MAX_FILE_BYTES = 100_000

export interface Attached {
  path: string
  bytes: number
  truncated: boolean
}

/**
 * The prompt with every `@path` that names a workspace file attached after it (the mention stays
 * in the text, so the model knows what the user meant), and what was attached.
 */
export async function attachMentions(
  prompt: string,
  root: string,
): Promise<{ text: string; attached: Attached[] }> {
  const attached: Attached[] = []
  const blocks: string[] = []
  const seen = new Set<string>()
  for (const match of prompt.matchAll(/(?<=^|\s)@([^\s]+)/g)) {
    const path = (match[1] ?? '').replace(/[.,;:!?)]+$/, '')
    if (!path || seen.has(path)) continue
    seen.add(path)
    const absolute = resolve(root, path)
    const real = await realpath(absolute).catch(() => undefined)
    if (!real) continue
    const realRoot = await realpath(root).catch(() => root)
    const inside = relative(realRoot, real)
    if (inside.startsWith('..') || resolve(realRoot, inside) !== real) continue
    const info = await stat(real).catch(() => undefined)
    if (!info?.isFile()) continue
    const buffer = await readFile(real)
    if (buffer.includes(0)) continue // binary: not attached
    const truncated = buffer.length > MAX_FILE_BYTES
    const text = buffer.subarray(0, MAX_FILE_BYTES).toString('utf8')
    blocks.push(
      `<file path="${path}"${truncated ? ` truncated="first ${MAX_FILE_BYTES} of ${buffer.length} bytes"` : ''}>\n${text}${text.endsWith('\n') ? '' : '\n'}</file>`,
    )
    attached.push({ path, bytes: buffer.length, truncated })
  }
  if (!blocks.length) return { text: prompt, attached }
  return { text: `${prompt}\n\nAttached by the user:\n${blocks.join('\n')}`, attached }
}

export interface ShellRun {
  command: string
  exitCode: number | null
  signal: NodeJS.Signals | null
  output: string
}

/** What the agent reads about a command the user ran, with their next message. */
export function shellContext(run: ShellRun): string {
  const tail = run.output.length > 20_000 ? `…\n${run.output.slice(-20_000)}` : run.output
  const how = run.signal ? `killed by ${run.signal}` : `exit code ${run.exitCode}`
  return `I ran this command myself (${how}):\n$ ${run.command}\n${tail.trimEnd()}`
}

/**
 * Runs a command the user typed (`!ls`), in the workspace, with their environment (they are the
 * one running it). Output streams to `onOutput`; the abort signal stops it.
 */
export function runShell(
  command: string,
  cwd: string,
  onOutput: (text: string) => void,
  signal: AbortSignal,
): Promise<ShellRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.env.SHELL || '/bin/sh', ['-c', command], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let output = ''
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      output += text
      if (output.length > 200_000) output = output.slice(-100_000)
      onOutput(text)
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    const stop = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM')
      } catch {
        // already gone
      }
    }
    signal.addEventListener('abort', stop, { once: true })
    child.on('error', (error) => {
      signal.removeEventListener('abort', stop)
      resolvePromise({ command, exitCode: 127, signal: null, output: `${output}${error.message}\n` })
    })
    child.on('close', (code, killed) => {
      signal.removeEventListener('abort', stop)
      resolvePromise({ command, exitCode: code, signal: killed, output })
    })
  })
}
