export { splitText } from './completion.js'
export { parseScript } from './parse.js'
export { startMockServer } from './server.js'
export type {
  ChatCompletionRequest,
  FinishReason,
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
