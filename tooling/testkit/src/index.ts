export { type Fifo, fifo } from './fifo.js'
export { lineWrittenTo } from './files.js'
export {
  type AnswerStep,
  type ScriptedStreamFn,
  type ScriptOptions,
  type ScriptStep,
  scriptedStream,
  testModel,
} from './model.js'
export { freePort, type HostListener, hostListener } from './ports.js'
export { isAlive, pidsWith } from './processes.js'
export { type Family, parsePrometheusText, type Sample } from './prom-text.js'
export { type InProcessServerOptions, inProcessServerOptions } from './server.js'
export { git, initRepo, tempDir, tempRepo, tempTree, writeTree } from './temp.js'
export { DEFAULT_BOUND_MS, type UntilOptions, until, whenChanged, within } from './wait.js'
