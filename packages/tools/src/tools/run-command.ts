import type { Sandbox, SandboxRefusal } from '@penguin-ai/sandbox'
import { z } from 'zod'
import { capOutput } from '../cap-output.js'
import { oneLine } from '../details/text.js'
import { resolveDirectory } from '../directories.js'
import { type RunOutcome, runProcess } from '../process.js'
import { defineTool } from '../tool.js'

export const DEFAULT_TIMEOUT_MS = 120_000
export const MAX_TIMEOUT_MS = 600_000
/** Per stream, for the model. Errors and summaries sit at the end, so the tail is kept too. */
const STREAM_CAP = {
  maxChars: 30_000,
  maxLines: 800,
  hint: 'pipe through head, tail or grep, or redirect to a file and read a range',
}

const parameters = z.object({
  command: z.string().min(1).describe('Shell command line, run with bash -c'),
  cwd: z.string().optional().describe('Working directory (default: the workspace root)'),
  timeout_ms: z
    .number()
    .int()
    .min(1)
    .max(MAX_TIMEOUT_MS)
    .optional()
    .describe(`Default ${DEFAULT_TIMEOUT_MS}; the whole process tree is killed on timeout`),
})

export const runCommandTool = defineTool({
  name: 'run_command',
  description:
    'Run a shell command in the workspace; returns exit code, stdout and stderr. Non-interactive: stdin is closed.',
  parameters,
  sandboxed: true,
  permission: ({ command }) => ({ access: 'execute', subject: command }),
  title: ({ command }) => command,
  async preview({ command, cwd, timeout_ms }, workspace) {
    const dir = await resolveDirectory(workspace, cwd ?? '.')
    return {
      kind: 'command',
      summary: oneLine(command),
      command,
      cwd: workspace.relative(dir),
      realCwd: dir,
      timeoutMs: timeout_ms ?? DEFAULT_TIMEOUT_MS,
    }
  },
  async execute({ command, cwd, timeout_ms }, { workspace, signal, env, onOutput, sandbox }) {
    const dir = await resolveDirectory(workspace, cwd ?? '.')
    const timeoutMs = timeout_ms ?? DEFAULT_TIMEOUT_MS
    const run = await runProcess({
      command,
      cwd: dir,
      timeoutMs,
      signal,
      ...(env ? { env } : {}),
      ...(onOutput ? { onOutput } : {}),
      ...(sandbox ? { sandbox } : {}),
    })
    const refusal = run.sandboxRefusal
    const note = refusal && sandbox ? `\n${sandboxNote(refusal, sandbox)}` : ''
    return {
      output: formatOutcome(run, timeoutMs) + note,
      isError: run.exitCode !== 0 || run.timedOut || run.aborted || run.startError !== undefined,
      ...(refusal ? { sandboxRefusal: refusal } : {}),
      details: {
        kind: 'command',
        summary: `${oneLine(command, 160)} — ${describeEnd(run, timeoutMs)}`,
        command,
        cwd: workspace.relative(dir),
        exitCode: run.exitCode,
        signal: run.signal,
        timedOut: run.timedOut,
        aborted: run.aborted,
        durationMs: run.durationMs,
        stdout: run.stdout,
        stderr: run.stderr,
        ...(run.startError === undefined ? {} : { startError: run.startError }),
        ...(sandbox
          ? {
              sandbox: {
                mode: sandbox.mode,
                network: typeof sandbox.network === 'boolean' ? sandbox.network : [...sandbox.network],
                ...(refusal ? { refused: { kinds: refusal.kinds, summary: refusal.summary } } : {}),
              },
            }
          : {}),
      },
    }
  },
})

/** What the model reads when the sandbox refused a command something: what, and what it allows. */
export function sandboxNote(refusal: SandboxRefusal, sandbox: Sandbox): string {
  return `[sandbox] The sandbox refused this command ${refusal.summary}. ${sandbox.rules()}`
}

/** How a command ended, in a few words: `exit 1`, `timed out after 120 s`, `killed by SIGKILL`. */
export function describeEnd(run: RunOutcome, timeoutMs: number): string {
  if (run.startError) return 'could not start'
  if (run.timedOut) return `timed out after ${timeoutMs / 1000} s`
  if (run.aborted) return 'aborted'
  if (run.exitCode === null) return `killed by ${run.signal ?? 'a signal'}`
  return `exit ${run.exitCode}`
}

/** What the model reads: how the command ended, then each non-empty stream, head and tail. */
export function formatOutcome(run: RunOutcome, timeoutMs: number): string {
  const lines: string[] = []
  if (run.startError) lines.push(`The command could not be started: ${run.startError}`)
  else if (run.timedOut) lines.push(`Timed out after ${timeoutMs} ms; the process tree was killed.`)
  else if (run.aborted) lines.push('Aborted; the process tree was killed.')
  else if (run.exitCode === null) lines.push(`Killed by ${run.signal ?? 'a signal'}.`)
  else lines.push(`Exit code: ${run.exitCode}`)
  if (run.detachedOutput) {
    lines.push('A background process still holds the output open; its later output is not captured.')
  }
  const stdout = run.stdout.trimEnd()
  const stderr = run.stderr.trimEnd()
  if (stdout) lines.push('[stdout]', capOutput(stdout, STREAM_CAP))
  if (stderr) lines.push('[stderr]', capOutput(stderr, STREAM_CAP))
  if (!stdout && !stderr && !run.startError) lines.push('(no output)')
  return lines.join('\n')
}
