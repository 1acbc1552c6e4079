export {
  type ApiServer,
  type Deployment,
  type DeploymentOptions,
  startDeployment,
  WORKER_READY,
  type WorkerOptions,
} from './deployment.js'
export { type Exit, PENGUIN_BIN, type PenguinProcess, startPenguin } from './process.js'
export { type EventRecorder, type ReceivedEvent, recordEvents } from './sse.js'
