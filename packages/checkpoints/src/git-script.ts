import path from 'node:path'
import { runChild } from './child-runner.js'
import { CheckpointError } from './errors.js'
import { GIT_MISSING_MESSAGE, type GitTarget, MAX_OUTPUT_BYTES, toCheckpointError } from './git.js'
import { gitConfigEnvironment, gitEnvironment } from './git-env.js'

/**
 * Defined before every script: `cmd || fail NAME` stops the script with cmd's exit status and tells
 * `gitScript` which git command failed (a line on stderr, taken out of the error's detail).
 */
const PRELUDE = 'fail() { status=$?; printf \'\\npenguin-step: %s\\n\' "$1" >&2; exit "$status"; }\n'
const STEP_LINE = /\n?penguin-step: (.+)\n?$/

/**
 * Runs several git commands as ONE child process: `/bin/sh -c script` with the positional
 * parameters `args`. Starting a child from a big Node process (a server or worker holding many
 * sessions) costs a fork of its whole address space, several milliseconds each; the shell's own
 * forks of git are cheap. The script is always one of this package's constants — everything that
 * varies (paths, labels) reaches it as a positional parameter, never as script text.
 *
 * Git sees exactly what `git()` gives it: the neutralised environment, the same settings (here as
 * GIT_CONFIG_COUNT/KEY/VALUE, the command-line scope) and the repository as GIT_DIR (+ GIT_WORK_TREE
 * for a workspace target). No shell startup file is read (`ENV` and `BASH_ENV` are left out).
 * A failing step (`|| fail NAME`) is reported as `git NAME failed …`, like a failing `git()` call.
 */
export async function gitScript(
  target: GitTarget,
  script: string,
  args: string[],
  options: { input?: string } = {},
): Promise<Buffer> {
  const cwd = target.workTree ?? path.dirname(target.gitDir)
  const { ENV: _env, BASH_ENV: _bashEnv, ...base } = gitEnvironment()
  const env: NodeJS.ProcessEnv = {
    ...base,
    ...gitConfigEnvironment(target.excludesFile),
    GIT_DIR: target.gitDir,
    ...(target.workTree ? { GIT_WORK_TREE: target.workTree } : {}),
  }
  const { error, stdout, stderr } = await runChild({
    file: '/bin/sh',
    args: ['-c', PRELUDE + script, 'penguin-checkpoint', ...args],
    cwd,
    env,
    input: options.input ?? '',
    maxBuffer: MAX_OUTPUT_BYTES,
  })
  if (!error) return stdout
  const text = stderr.toString('utf8')
  const step = STEP_LINE.exec(text)
  // The shell found no git on PATH (127): the same answer as a missing executable.
  if (error.code === 127 && /git/.test(text))
    throw new CheckpointError('git_missing', GIT_MISSING_MESSAGE, { cause: error })
  const command = step ? `git ${step[1]}` : 'git'
  throw toCheckpointError(error, command, target, cwd, step ? text.replace(STEP_LINE, '') : text)
}
