// Preloaded with `node --import` by bench:startup: records every module the process loads (through
// a module hook in Node's loader thread) and prints their URLs on stderr at exit, so the bench can
// tell which parts of the CLI a command pulled in.
import { register } from 'node:module'
import { MessageChannel } from 'node:worker_threads'

const { port1, port2 } = new MessageChannel()
const loaded = []
port1.on('message', (url) => loaded.push(url))
port1.unref()
register('./load-probe-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] })
process.on('exit', () => {
  process.stderr.write(`LOADED_MODULES=${JSON.stringify(loaded)}\n`)
})
