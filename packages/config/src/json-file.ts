import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { ConfigError } from './errors.js'

/**
 * Changes one JSON object file in place without losing the rest of it: read, change, write a
 * temporary file beside it, rename over. A reader sees the old file or the new one, never half; a
 * file that is not a JSON object is left alone and reported.
 */
export async function updateJsonObject(
  path: string,
  change: (json: Record<string, unknown>) => void,
): Promise<void> {
  let text: string | undefined
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ConfigError('invalid_file', `Cannot read config file ${path}: ${(error as Error).message}`, {
        file: path,
      })
  }
  let json: unknown = {}
  if (text !== undefined && text.trim() !== '') {
    try {
      json = JSON.parse(text)
    } catch (error) {
      throw new ConfigError(
        'invalid_file',
        `Invalid config file ${path}: not valid JSON (${(error as Error).message}). Fix it first; it was not changed.`,
        { file: path },
      )
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(
      'invalid_file',
      `Invalid config file ${path}: it must hold a JSON object. Fix it first; it was not changed.`,
      { file: path },
    )
  }
  const object = json as Record<string, unknown>
  change(object)
  await mkdir(dirname(path), { recursive: true })
  const mode = await stat(path).then(
    (info) => info.mode & 0o777,
    () => 0o600,
  )
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(temporary, `${JSON.stringify(object, null, 2)}\n`, { mode, flag: 'wx' })
    await chmod(temporary, mode)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw new ConfigError('invalid_file', `Cannot write config file ${path}: ${(error as Error).message}`, {
      file: path,
    })
  }
}
