/**
 * `@penguin-ai/protocol/api`: the HTTP API's contract. Zod schemas of every record and request (JSON:
 * snake_case keys), and one declaration per route (`ROUTES`). No Node dependencies: the server
 * validates and documents with it, the SDK's types are generated from it.
 */
export * from './index.js'
export * from './route.js'
export * from './routes/index.js'
export * from './schemas/agents.js'
export * from './schemas/checkpoints.js'
export * from './schemas/common.js'
export * from './schemas/events.js'
export * from './schemas/mcp.js'
export * from './schemas/memory.js'
export * from './schemas/models.js'
export * from './schemas/projects.js'
export * from './schemas/runs.js'
export * from './schemas/sessions.js'
export * from './schemas/tasks.js'
export * from './schemas/usage.js'
