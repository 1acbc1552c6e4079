import { randomBytes } from 'node:crypto'
import { chmod, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Writes `content` so that readers see either the old file or the new one, never half of it: a
 * temporary file in the same directory (same filesystem, so `rename` is atomic) replaces the target.
 * Parent directories are created; an existing file keeps its mode unless `mode` is given.
 */
export async function writeFileAtomic(file: string, content: string, mode?: number): Promise<void> {
  const dir = path.dirname(file)
  await mkdir(dir, { recursive: true })
  mode ??= await stat(file).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  )
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(temp, content, { flag: 'wx' })
    // Set after writing: the umask would otherwise mask bits of the original mode.
    if (mode !== undefined) await chmod(temp, mode)
    await rename(temp, file)
  } catch (error) {
    await unlink(temp).catch(() => {})
    throw error
  }
}
