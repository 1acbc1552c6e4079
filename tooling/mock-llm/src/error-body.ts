/** OpenAI-style error bodies, so SDKs parse the mock's failures as they parse the real ones. */

export interface ErrorBody {
  error: { message: string; type: string; param: null; code: string | null }
}

/** The `type`/`code`/message OpenAI uses for a status, as close as a mock needs. */
function defaultsFor(status: number): { type: string; code: string | null; message: string } {
  if (status === 401)
    return { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' }
  if (status === 403)
    return { type: 'invalid_request_error', code: 'permission_denied', message: 'Permission denied.' }
  if (status === 404)
    return { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' }
  if (status === 429) {
    return {
      type: 'requests',
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached. Please try again later.',
    }
  }
  if (status >= 500)
    return { type: 'server_error', code: null, message: 'The server had an error processing your request.' }
  return { type: 'invalid_request_error', code: null, message: `Request failed with status ${status}.` }
}

export function errorBody(status: number, overrides: { message?: string; code?: string } = {}): ErrorBody {
  const d = defaultsFor(status)
  return {
    error: {
      message: overrides.message ?? d.message,
      type: d.type,
      param: null,
      code: overrides.code ?? d.code,
    },
  }
}
