export { splitText } from './completion.js'
export { createGate } from './gate.js'
export { parseScript } from './parse.js'
export { startMockServer } from './server.js'
export type {
  ChatCompletionRequest,
  FinishReason,
  Gate,
  MockFault,
  MockScript,
  MockServer,
  MockServerOptions,
  MockToolCall,
  MockTurn,
  MockUsage,
  RecordedRequest,
  WireMessage,
} from './types.js'
