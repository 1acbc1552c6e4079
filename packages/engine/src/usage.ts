// Kept as the engine's exports for existing callers; the arithmetic lives with the Usage type.
export { addUsage, emptyUsage } from '@penguin-ai/llm'
