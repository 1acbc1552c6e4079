/**
 * `@penguin-ai/tools/details`: the tool-details and permission-preview contract with its pure
 * helpers, importable from browsers and the SDK (nothing here touches Node).
 */
export * from './normalize.js'
export * from './schema.js'
export * from './text.js'
