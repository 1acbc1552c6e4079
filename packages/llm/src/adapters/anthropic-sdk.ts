/**
 * The part of `@anthropic-ai/sdk` the Messages adapter uses: the base client (requests, SSE
 * streams, headers, timeouts) and its error classes. Imported from here, rather than the package
 * root, the CLI's bundle leaves out the SDK's API resources (beta, batches, files, organization
 * admin, tool runners), which are most of its code: less to load before the first request.
 */
export { BaseAnthropic } from '@anthropic-ai/sdk/client'
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk/core/error'
