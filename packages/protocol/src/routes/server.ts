/** Probes and metrics (served at the root, outside /api/v1), and the API's own description. */
import { z } from 'zod'
import { route } from '../route.js'

export const health = route({
  method: 'get',
  root: true,
  path: '/healthz',
  summary: 'Liveness: the process answers',
  tags: ['health'],
  response: { status: 200, description: 'alive', schema: z.object({ status: z.literal('ok') }) },
})

export const ready = route({
  method: 'get',
  root: true,
  path: '/readyz',
  summary: 'Readiness: 503 while starting or stopping',
  notes: 'Answers `{status: "starting"}` or `{status: "stopping"}` with 503 outside that window',
  tags: ['health'],
  response: { status: 200, description: 'ready', schema: z.object({ status: z.literal('ready') }) },
  errors: [503],
})

export const metrics = route({
  method: 'get',
  root: true,
  path: '/metrics',
  summary:
    'Prometheus metrics: runs, tool calls, tokens and cost by model, HTTP request durations, active runs, pending permissions, event subscribers',
  notes: 'Prometheus text 0.0.4; needs an API token or the metrics token (see Observability)',
  tags: ['health'],
  response: {
    status: 200,
    description: 'Prometheus text format',
    schema: z.string(),
    contentType: 'text/plain',
  },
})

export const openapiDocument = route({
  method: 'get',
  path: '/openapi.json',
  summary: 'This OpenAPI 3.1 document',
  tags: ['docs'],
  response: { status: 200, description: 'the document', schema: z.record(z.string(), z.unknown()) },
})

export const docsPage = route({
  method: 'get',
  path: '/docs',
  summary: 'A page listing every operation',
  tags: ['docs'],
  response: { status: 200, description: 'HTML', schema: z.string(), contentType: 'text/html' },
})
