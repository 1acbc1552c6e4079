/**
 * What `git symbolic-ref --short -q HEAD` answers — "branch main", "detached HEAD" or nothing —
 * read from the repository's files instead of spawning git for every task or run (a fork of a big
 * Node process costs milliseconds of main-thread time, times the tasks of a parallel project).
 * Only the ordinary layouts are read here: a `.git` folder, or a `.git` file naming the git dir (a
 * worktree or submodule), files owned by this user, loose or packed refs, no repository extensions.
 * Anything else — git's environment overrides, another owner (safe.directory), a mount point on the
 * way up, a HEAD that is not a plain branch, a short name git might spell differently — is asked of
 * git itself, so the answer (and with it the system prompt) is always git's, byte for byte.
 */
import { lstat, readFile, realpath, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'

/** Asks git; `undefined` where git says this is not a repository (or cannot be run). */
export async function askGitHead(workspace: string): Promise<string | undefined> {
  // Loaded when git must answer, not with the engine: mostly the files do.
  const { execFile } = await import('node:child_process')
  return new Promise((done) => {
    execFile(
      'git',
      ['symbolic-ref', '--short', '-q', 'HEAD'],
      { cwd: workspace, timeout: 2000 },
      (error, stdout) => {
        if (!error) return done(`branch ${stdout.trim()}`)
        // -q: exit 1 (and no message) is a detached HEAD; 128 is "not a git repository".
        done((error as { code?: unknown }).code === 1 ? 'detached HEAD' : undefined)
      },
    )
  })
}

/** "branch NAME", "detached HEAD", or undefined outside a repository — git's answer, mostly without git. */
export async function gitHead(
  workspace: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const read = await readGitHead(workspace, env).catch((): Answer => ASK_GIT)
  return read === ASK_GIT ? askGitHead(workspace) : read
}

/** The files do not settle it: git must answer. */
export const ASK_GIT = Symbol('ask git')
type Answer = string | undefined | typeof ASK_GIT

/** Variables that change where git looks or which refs it sees. */
const DISCOVERY_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_COMMON_DIR',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_OBJECT_DIRECTORY',
  'GIT_NAMESPACE',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
]

const HEX_OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})\n?$/

/** The answer from the files alone, or ASK_GIT (exported for tests). */
export async function readGitHead(workspace: string, env: NodeJS.ProcessEnv): Promise<Answer> {
  if (DISCOVERY_ENV.some((name) => env[name] !== undefined)) return ASK_GIT
  // git compares owners with the effective user (under sudo/doas as root, with the one who asked).
  const uid = process.geteuid?.()
  if (uid === undefined || (uid === 0 && (env.SUDO_UID || env.DOAS_UID))) return ASK_GIT
  let dir: string
  try {
    dir = await realpath(workspace)
  } catch {
    return undefined // git cannot start in a folder that is not there either
  }
  const device = (await stat(dir)).dev
  for (;;) {
    const found = await gitDirAt(dir, uid)
    if (found !== undefined) return found === ASK_GIT ? ASK_GIT : headOf(found)
    const parent = dirname(dir)
    if (parent === dir) return undefined
    // git stops at a mount point; whether it may cross is its own business.
    if ((await stat(parent)).dev !== device) return ASK_GIT
    dir = parent
  }
}

interface GitDir {
  /** Where HEAD is (a worktree's own folder under .git/worktrees/). */
  gitDir: string
  /** Where refs, objects, packed-refs and config are. */
  commonDir: string
}

/** The repository of `dir` itself: undefined when it has none (git goes up a level). */
async function gitDirAt(dir: string, uid: number): Promise<GitDir | undefined | typeof ASK_GIT> {
  const dotGit = join(dir, '.git')
  const entry = await lstat(dotGit).catch(() => undefined)
  if (!entry) {
    // No .git: a folder holding HEAD may be a bare repository (or git's own folder).
    return (await lstat(join(dir, 'HEAD')).catch(() => undefined)) ? ASK_GIT : undefined
  }
  if (entry.isSymbolicLink()) return ASK_GIT
  let gitDir = dotGit
  if (entry.isFile()) {
    const text = await readFile(dotGit, 'utf8')
    const match = /^gitdir: (.+?)[\r\n]*$/.exec(text)
    if (!match?.[1]) return ASK_GIT
    gitDir = resolve(dir, match[1])
  } else if (!entry.isDirectory()) return ASK_GIT
  const commonFile = await readFile(join(gitDir, 'commondir'), 'utf8').catch(() => undefined)
  const commonDir = commonFile === undefined ? gitDir : resolve(gitDir, commonFile.trimEnd())
  const [top, head, objects, refs] = await Promise.all(
    [dir, join(gitDir, 'HEAD'), join(commonDir, 'objects'), join(commonDir, 'refs')].map((path) =>
      lstat(path).catch(() => undefined),
    ),
  )
  // Not a usable repository (git would go on up, or stop with an error): git decides.
  if (!head?.isFile() || !objects?.isDirectory() || !refs?.isDirectory()) return ASK_GIT
  // safe.directory: a repository another user owns is git's to judge (its config may allow it).
  if (top?.uid !== uid || entry.uid !== uid || (await stat(gitDir)).uid !== uid) return ASK_GIT
  return { gitDir, commonDir }
}

async function headOf({ gitDir, commonDir }: GitDir): Promise<Answer> {
  const [head, config] = await Promise.all([
    readFile(join(gitDir, 'HEAD'), 'utf8'),
    readFile(join(commonDir, 'config'), 'utf8').catch(() => ''),
  ])
  // Repository extensions (reftable refs keep HEAD elsewhere), newer formats, included config.
  if (/^\s*\[\s*(extensions|include)/im.test(config)) return ASK_GIT
  const version = /^\s*repositoryformatversion\s*=\s*(\d+)/im.exec(config)?.[1]
  if (version && Number(version) > 1) return ASK_GIT
  if (HEX_OID.test(head)) return 'detached HEAD'
  const branch = /^ref: refs\/heads\/(.+)\n?$/.exec(head)?.[1]
  if (!branch || (await mayBeShortenedOtherwise(branch, gitDir, commonDir))) return ASK_GIT
  return `branch ${branch}`
}

/**
 * `--short` gives `NAME` for refs/heads/NAME only when no other ref that NAME could mean exists
 * (a tag of the same name makes it `heads/NAME`): any such candidate, loose or packed, means ask git.
 */
async function mayBeShortenedOtherwise(branch: string, gitDir: string, commonDir: string): Promise<boolean> {
  const candidates = [
    branch,
    `refs/${branch}`,
    `refs/tags/${branch}`,
    `refs/remotes/${branch}`,
    `refs/remotes/${branch}/HEAD`,
  ]
  const dirs = gitDir === commonDir ? [gitDir] : [gitDir, commonDir]
  const loose = await Promise.all(
    dirs.flatMap((base) =>
      candidates.map((ref) =>
        lstat(join(base, ref)).then(
          () => true,
          () => false,
        ),
      ),
    ),
  )
  if (loose.some(Boolean)) return true
  const packed = await readFile(join(commonDir, 'packed-refs'), 'utf8').catch(() => '')
  return candidates.slice(1).some((ref) => packed.includes(` ${ref}\n`))
}
