import { checkSandbox, createSandbox } from '@penguin-ai/sandbox'
import { BenchError } from '../errors.js'
import { type BoundedOutcome, type BoundedRunOptions, runBounded } from './process.js'

/** How candidate programs (HumanEval completions, SWE-style test runs) are run. */
export interface CandidateSandbox {
  /** For reports: how candidates were isolated. */
  description: string
  /** Runs `argv` in `options.cwd` under the isolation, bounded like `runBounded`. */
  run(argv: string[], options: BoundedRunOptions): Promise<BoundedOutcome>
}

let sandboxed: Promise<CandidateSandbox> | undefined

/**
 * Candidates run in Penguin's OS sandbox, read-only and without network: they see the filesystem
 * (secrets hidden) and write only a private /tmp, in their own PID namespace. `off` runs them with
 * the user's full rights (reports say so). Where the sandbox cannot start this is an `environment`
 * error naming the cause: model-written code never runs unconfined without being asked to.
 */
export function candidateSandbox(options: { off?: boolean } = {}): Promise<CandidateSandbox> {
  if (options.off) {
    return Promise.resolve({
      description: 'none (--sandbox off): candidates ran with your full rights and network',
      run: (argv, run) => runBounded(argv[0]!, argv.slice(1), run),
    })
  }
  sandboxed ??= probe()
  sandboxed.catch(() => {
    sandboxed = undefined
  })
  return sandboxed
}

async function probe(): Promise<CandidateSandbox> {
  const support = await checkSandbox()
  if (!support.available) {
    throw new BenchError(
      'environment',
      `Candidates cannot be sandboxed: ${support.cause}. Either ${support.fix}; or run them with your full rights: --sandbox off.`,
    )
  }
  return {
    description: `bubblewrap ${support.version} sandbox: read-only, no network, own PID namespace`,
    async run(argv, options) {
      const sandbox = createSandbox({ mode: 'read-only', roots: [options.cwd], network: false })
      try {
        const wrapped = await sandbox.wrap(argv, { cwd: options.cwd, env: options.env, detached: true })
        try {
          return await runBounded(wrapped.command, wrapped.args, { ...options, env: wrapped.env })
        } finally {
          await wrapped.release()
        }
      } finally {
        await sandbox.close()
      }
    },
  }
}
