import { readFileSync, watch } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Resolves with a file's text once a complete line is in it: the event a test waits for when a
 * command it started writes a pid or a marker (watched, not polled, and no sleep). Bound it with
 * `within()` when the command might never write.
 */
export function lineWrittenTo(file: string): Promise<string> {
  return new Promise((resolve) => {
    const watcher = watch(dirname(file))
    const check = () => {
      let text = ''
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        return
      }
      if (!text.endsWith('\n')) return
      watcher.close()
      resolve(text)
    }
    watcher.on('change', check)
    check()
  })
}
