/** Field rules shared by the operations; each message names the field and says what to do. */
import { ValidationError } from './errors.js'

export function requireText(value: unknown, field: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ValidationError(`${field} must not be empty: give the ${what} a ${field}`, field)
  return value.trim()
}

export function optionalText(value: unknown, field: string): string | null | undefined {
  if (value === undefined || value === null) return value
  if (typeof value !== 'string') throw new ValidationError(`${field} must be a string or null`, field)
  return value
}

/** A yes/no field: absent is false. */
export function optionalFlag(value: unknown, field: string): boolean {
  if (value === undefined) return false
  if (typeof value !== 'boolean') throw new ValidationError(`${field} must be true or false`, field)
  return value
}

/** A budget or limit: absent, null, or a finite number ≥ 0 (an integer when `integer`). */
export function optionalAmount(value: unknown, field: string, integer = false): number | null | undefined {
  if (value === undefined || value === null) return value
  checkAmount(value, field, integer)
  return value as number
}

export function checkAmount(value: unknown, field: string, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new ValidationError(
      `${field} must be a finite number ≥ 0${integer ? ' (a whole number)' : ''}, got ${String(value)}; use null for no limit`,
      field,
    )
  if (integer && !Number.isInteger(value))
    throw new ValidationError(`${field} must be a whole number, got ${value}`, field)
  return value
}

export function optionalPriority(value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new ValidationError(
      `priority must be an integer (higher runs first), got ${JSON.stringify(value)}`,
      'priority',
    )
  return value
}

export function optionalCriteria(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw new ValidationError('acceptanceCriteria must be a list of strings', 'acceptanceCriteria')
  return value as string[]
}

export function requireId(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    throw new ValidationError(`${field} must be a positive integer id, got ${JSON.stringify(value)}`, field)
  return value
}
