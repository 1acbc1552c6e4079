/**
 * One declaration per route: everything about it but the code that answers. The server turns a
 * declaration into the route's validation and its OpenAPI operation; docs/api.md's route table is
 * generated from the list; the SDK's tests check its calls against it.
 */
import type { z } from 'zod'

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** Where the API lives: every declared path is under it unless the route is `root`. */
export const API_PREFIX = '/api/v1'

export interface RouteResponse {
  status: number
  description: string
  /** The body; absent means none (204, 101). */
  schema?: z.ZodType
  /** Defaults to application/json. */
  contentType?: string
}

export interface RouteDeclaration {
  method: HttpMethod
  /** OpenAPI style, under API_PREFIX unless `root`: `/sessions/{id}`. */
  path: string
  /** Served at the server's root (probes, /metrics) instead of under API_PREFIX. */
  root?: boolean
  summary: string
  /** What the route table in docs/api.md says about it besides the summary (Markdown). */
  notes?: string
  tags: readonly string[]
  /** Path parameters: each validated on its own (`invalid path parameter id`). */
  params?: z.ZodObject
  query?: z.ZodObject
  body?: z.ZodType
  /** The success response. */
  response: RouteResponse
  /** Error statuses this route can answer besides 400/401/429/500 (which every route can). */
  errors?: readonly number[]
}

/** Declares a route, keeping its literal types (the server's handler input is derived from them). */
export function route<const R extends RouteDeclaration>(declaration: R): R {
  return declaration
}

/** The path as the client calls it: `/api/v1/sessions/{id}`. */
export function fullPath(declaration: Pick<RouteDeclaration, 'path' | 'root'>): string {
  return declaration.root ? declaration.path : `${API_PREFIX}${declaration.path}`
}
