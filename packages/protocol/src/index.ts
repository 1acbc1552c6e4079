/**
 * `@penguin-ai/protocol`: the light part of the contract, imported by the tools, the store and the
 * config on every command's start — tool details and permission previews, the status lists, the
 * agent-name rule. The HTTP API's schemas and route declarations are `@penguin-ai/protocol/api`.
 */
export * from './constants.js'
export * from './content.js'
export * from './details.js'
export * from './events.js'
