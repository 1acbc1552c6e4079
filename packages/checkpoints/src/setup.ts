import { mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CheckpointError, ioError } from './errors.js'
import { git, gitVersion, meetsMinimum } from './git.js'
import { ATTRIBUTES } from './git-env.js'
import { ignorePattern, relativeInside, shadowGitDir } from './location.js'

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024

/** The workspace's real path; a missing path or a file is the caller's mistake, said plainly. */
export async function resolveWorkspace(workspace: string): Promise<string> {
  let real: string
  try {
    real = await realpath(workspace)
  } catch (error) {
    throw new CheckpointError('not_a_directory', `workspace ${workspace} does not exist`, { cause: error })
  }
  if (!(await stat(real)).isDirectory())
    throw new CheckpointError('not_a_directory', `workspace ${workspace} is not a directory`)
  return real
}

/** The git found on each PATH passed the check: a server or worker opens a repository per run. */
const gitChecked = new Map<string, Promise<void>>()

/**
 * Fails with git_missing when git is absent or too old to be kept away from the user's config.
 * Checked once per PATH (a failure is checked again next time); should git vanish later, the next
 * git call says git_missing all the same.
 */
export function requireGit(): Promise<void> {
  const key = process.env.PATH ?? ''
  let checked = gitChecked.get(key)
  if (!checked) {
    checked = checkGit()
    gitChecked.set(key, checked)
    checked.catch(() => gitChecked.delete(key))
  }
  return checked
}

async function checkGit(): Promise<void> {
  const version = await gitVersion()
  if (!meetsMinimum(version))
    throw new CheckpointError(
      'git_missing',
      `${version} is too old for workspace checkpoints; install git 2.32 or later`,
    )
}

export interface Prepared {
  gitDir: string
  /** Workspace-relative paths of Penguin's own data that must stay out of snapshots. */
  internalExcludes: string[]
}

/**
 * (Re)writes the files that steer the shadow repository, so a repository made by an older version
 * picks up today's rules. The repository itself is created by its first staging (see stage.ts, which
 * runs `git init` in the same child process as its listing): bare, with no template — no sample
 * hooks, no branch, nothing but objects, refs and our private index. `ensureRepository` creates it
 * for the operations that do not stage.
 */
export async function prepareRepository(dataDir: string, workspace: string): Promise<Prepared> {
  const realDataDir = await makeDataDir(dataDir)
  const gitDir = shadowGitDir(realDataDir, workspace)
  // When the data directory sits inside the workspace, snapshots must not swallow the repository
  // they are stored in (nor Penguin's database); the workspace's .penguin/config.json is still kept.
  const dataRel = relativeInside(workspace, realDataDir)
  const checkpointsRel = relativeInside(workspace, path.join(realDataDir, 'checkpoints'))
  const excludeLines = dataRel ? [`${ignorePattern(dataRel)}/*`, '!/.penguin/config.json'] : []
  try {
    await mkdir(path.join(gitDir, 'info'), { recursive: true })
    await writeIfChanged(path.join(gitDir, 'info', 'attributes'), ATTRIBUTES)
    await writeIfChanged(
      path.join(gitDir, 'info', 'exclude'),
      excludeLines.map((line) => `${line}\n`).join(''),
    )
    await writeIfChanged(path.join(gitDir, 'description'), `Penguin checkpoints of ${workspace}\n`)
  } catch (error) {
    throw ioError(`setting up the checkpoint repository ${gitDir}`, error)
  }
  return { gitDir, internalExcludes: checkpointsRel ? [checkpointsRel] : [] }
}

/** Creates the (bare, template-less) repository if no staging has yet. */
export async function ensureRepository(gitDir: string): Promise<void> {
  const exists = await stat(path.join(gitDir, 'HEAD')).then(
    () => true,
    () => false,
  )
  if (!exists) await git({ gitDir }, ['init', '--bare', '--quiet', '--template=', gitDir])
}

async function makeDataDir(dataDir: string): Promise<string> {
  try {
    await mkdir(path.join(dataDir, 'checkpoints'), { recursive: true })
    return await realpath(dataDir)
  } catch (error) {
    throw ioError(`creating the checkpoint directory in ${dataDir}`, error)
  }
}

async function writeIfChanged(file: string, content: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => undefined)
  if (current !== content) await writeFile(file, content)
}
