import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * A fresh repository as `git init --bare --template=` made it, kept beside the shadow repositories
 * (`<dataDir>/checkpoints/template.git`) and copied into each new one instead of running `git init`
 * again: a process costs milliseconds of CPU to start, a copy of its few files and folders a fraction
 * of one. `git init` probes the file system (file modes, symbolic links, case) and records what it
 * found in the config, so the template is made in the same folder as the repositories it seeds.
 * It is made by the first staging of a data directory that has none — `git init` into a scratch path
 * in the same child process as the repository's own, renamed in afterwards, so a template is whole
 * or absent.
 */
const TEMPLATE_NAME = 'template.git'

function templateOf(gitDir: string): string {
  return path.join(path.dirname(gitDir), TEMPLATE_NAME)
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  )

/**
 * Makes `gitDir` (no HEAD yet) a fresh repository by copying the template, HEAD last: a repository
 * is one once it has HEAD, so a copy cut short leaves `git init` to do the rest. False when there is
 * no template (or the copy failed): the caller runs `git init`.
 */
export async function seedFromTemplate(gitDir: string): Promise<boolean> {
  const template = templateOf(gitDir)
  if (!(await exists(path.join(template, 'HEAD')))) return false
  try {
    await copyInto(template, gitDir, 'HEAD')
    await copyAtomically(path.join(template, 'HEAD'), path.join(gitDir, 'HEAD'))
    return true
  } catch {
    return false
  }
}

/**
 * A scratch path for the staging that creates `gitDir`'s repository to `git init` a template into,
 * when the data directory has none yet; `keep()` renames it in once made (or deletes it: not made,
 * or another process was first).
 */
export async function templateScratch(
  gitDir: string,
): Promise<{ path: string; keep(): Promise<void> } | undefined> {
  const template = templateOf(gitDir)
  if (await exists(template)) return undefined
  const scratch = path.join(path.dirname(gitDir), `template-${randomBytes(6).toString('hex')}.tmp`)
  const discard = () => rm(scratch, { recursive: true, force: true }).catch(() => {})
  return {
    path: scratch,
    keep: async () => {
      if (!(await exists(path.join(scratch, 'HEAD')))) return discard()
      // A folder that is already there (another process's template) refuses the rename.
      await rename(scratch, template).catch(discard)
    },
  }
}

/** Copies `from`'s files and folders into `to` (created as needed), but not `from`'s file `skip`. */
async function copyInto(from: string, to: string, skip?: string): Promise<void> {
  await mkdir(to, { recursive: true })
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) await copyInto(source, target)
    else if (entry.isFile() && entry.name !== skip) await copyAtomically(source, target)
  }
}

/** Never a half-written file for a reader: written aside, then renamed over. */
async function copyAtomically(source: string, target: string): Promise<void> {
  const aside = `${target}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await copyFile(source, aside)
    await rename(aside, target)
  } catch (error) {
    await rm(aside, { force: true }).catch(() => {})
    throw error
  }
}
