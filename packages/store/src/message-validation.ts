/** Checking new messages: a known role, at least one part, and parts of the shapes in MessagePart. */
import { ValidationError } from './errors.js'
import { IMAGE_MEDIA_TYPES, type MessagePart, type MessageRole, type NewMessage } from './session-types.js'
import { checkAmount, optionalText } from './validation.js'

export const MESSAGE_ROLES: readonly MessageRole[] = ['user', 'assistant', 'tool']

/** The string fields each part type must have (booleans and numbers are checked below). */
const PART_FIELDS: Record<MessagePart['type'], readonly string[]> = {
  text: ['text'],
  image: ['mediaType', 'data'],
  reasoning: ['text'],
  tool_call: ['id', 'name', 'arguments'],
  tool_result: ['toolCallId', 'name', 'content'],
  summary: ['text'],
}

export interface MessageValues {
  role: MessageRole
  parts: MessagePart[]
  model: string | null
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  costUsd: number
}

export function messageValues(message: NewMessage, index: number): MessageValues {
  const where = `message ${index + 1}`
  if (typeof message !== 'object' || message === null)
    throw new ValidationError(`${where} must be an object with a role and parts`)
  if (!MESSAGE_ROLES.includes(message.role))
    throw new ValidationError(
      `${where}: role must be one of ${MESSAGE_ROLES.join(', ')}, got ${JSON.stringify(message.role)}`,
      'role',
    )
  if (!Array.isArray(message.parts) || message.parts.length === 0)
    throw new ValidationError(`${where} has no parts: a message needs at least one part`, 'parts')
  message.parts.forEach((part, i) => {
    checkPart(part, `${where}, part ${i + 1}`)
  })
  return {
    role: message.role,
    parts: message.parts,
    model: optionalText(message.model, 'model') ?? null,
    inputTokens: checkAmount(message.inputTokens ?? 0, 'inputTokens', true),
    outputTokens: checkAmount(message.outputTokens ?? 0, 'outputTokens', true),
    cacheReadTokens: checkAmount(message.cacheReadTokens ?? 0, 'cacheReadTokens', true),
    cacheWriteTokens: checkAmount(message.cacheWriteTokens ?? 0, 'cacheWriteTokens', true),
    costUsd: checkAmount(message.costUsd ?? 0, 'costUsd'),
  }
}

function checkPart(part: unknown, where: string): void {
  const type = (part as { type?: unknown } | null)?.type
  if (typeof type !== 'string' || !Object.hasOwn(PART_FIELDS, type))
    throw new ValidationError(
      `${where}: type must be one of ${Object.keys(PART_FIELDS).join(', ')}, got ${JSON.stringify(type)}`,
      'parts',
    )
  const fields = part as Record<string, unknown>
  for (const field of PART_FIELDS[type as MessagePart['type']])
    if (typeof fields[field] !== 'string')
      throw new ValidationError(`${where} (${type}): ${field} must be a string`, 'parts')
  if (type === 'tool_result' && typeof fields.isError !== 'boolean')
    throw new ValidationError(`${where} (tool_result): isError must be true or false`, 'parts')
  if (type === 'image') checkImage(fields, where)
  if (type === 'tool_result' && fields.images !== undefined) {
    if (!Array.isArray(fields.images))
      throw new ValidationError(`${where} (tool_result): images must be a list of image parts`, 'parts')
    fields.images.forEach((image: unknown, i: number) => {
      checkPart(image, `${where}, image ${i + 1}`)
      if ((image as { type: unknown }).type !== 'image')
        throw new ValidationError(`${where}, image ${i + 1}: type must be image`, 'parts')
    })
  }
  if (type === 'reasoning') checkReasoning(fields, where)
  if (type === 'tool_result' && fields.details !== undefined) {
    const details = fields.details
    if (typeof details !== 'object' || details === null || Array.isArray(details))
      throw new ValidationError(`${where} (tool_result): details must be an object when present`, 'parts')
  }
  if (type === 'summary' && fields.keptMessages !== undefined) {
    const kept = fields.keptMessages
    if (typeof kept !== 'number' || !Number.isSafeInteger(kept) || kept < 0)
      throw new ValidationError(
        `${where} (summary): keptMessages must be a whole number ≥ 0, got ${JSON.stringify(kept)}`,
        'parts',
      )
  }
}

function checkImage(fields: Record<string, unknown>, where: string): void {
  if (!(IMAGE_MEDIA_TYPES as readonly unknown[]).includes(fields.mediaType))
    throw new ValidationError(
      `${where} (image): mediaType must be one of ${IMAGE_MEDIA_TYPES.join(', ')}, got ${JSON.stringify(fields.mediaType)}`,
      'parts',
    )
}

const REASONING_TEXT_FIELDS = ['api', 'signature', 'redacted', 'id', 'encrypted'] as const

function checkReasoning(fields: Record<string, unknown>, where: string): void {
  for (const field of REASONING_TEXT_FIELDS)
    if (fields[field] !== undefined && typeof fields[field] !== 'string')
      throw new ValidationError(`${where} (reasoning): ${field} must be a string when present`, 'parts')
  const summary = fields.summary
  if (summary !== undefined && !(Array.isArray(summary) && summary.every((item) => typeof item === 'string')))
    throw new ValidationError(`${where} (reasoning): summary must be a list of strings when present`, 'parts')
}
