// The loader-thread half of module-log.mjs: logs each module's URL before Node loads it.
import { appendFileSync } from 'node:fs'

let log

export function initialize(data) {
  log = data.log
}

export async function load(url, context, next) {
  appendFileSync(log, `${url}\n`)
  return next(url, context)
}
