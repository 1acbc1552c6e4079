// Preloaded into a `penguin` child (NODE_OPTIONS=--import) by cli-run-first-request.test.ts: appends
// the URL of every module the process loads to $PENGUIN_TEST_MODULE_LOG (through a module hook,
// which runs before the module is evaluated), and the line `-- request` when the process creates
// its first HTTP request (undici's diagnostics channel: Node's fetch, which both model SDKs use).
// What comes before that line was loaded before the first model request. The bundle's vendored
// libraries (zod, the model SDKs: dist/vendor/*.cjs) are not modules but scripts that
// src/vendored.ts runs with node:vm: vm.Script is wrapped to log their URLs too.
import { subscribe } from 'node:diagnostics_channel'
import { appendFileSync } from 'node:fs'
import { register } from 'node:module'
import { pathToFileURL } from 'node:url'
import vm from 'node:vm'

const log = process.env.PENGUIN_TEST_MODULE_LOG
if (log) {
  register('./module-log-hooks.mjs', import.meta.url, { data: { log } })
  const Script = vm.Script
  vm.Script = class extends Script {
    constructor(code, options) {
      if (typeof options?.filename === 'string')
        appendFileSync(log, `${pathToFileURL(options.filename).href}\n`)
      super(code, options)
    }
  }
  let marked = false
  subscribe('undici:request:create', () => {
    if (marked) return
    marked = true
    appendFileSync(log, '-- request\n')
  })
}
