/** Session runs (engine run ids): status and cancel. */

import { route } from '../route.js'
import { StringIdParam } from '../schemas/common.js'
import { RunSchema } from '../schemas/runs.js'

export const getRun = route({
  method: 'get',
  path: '/runs/{id}',
  summary: 'A session run: status, text, usage',
  tags: ['runs'],
  params: StringIdParam,
  response: { status: 200, description: 'the run', schema: RunSchema },
  errors: [404],
})

export const cancelRun = route({
  method: 'post',
  path: '/runs/{id}/cancel',
  summary: 'Abort a running run; its run.finished (status aborted) follows on the stream',
  notes: '404 unknown, 409 already finished',
  tags: ['runs'],
  params: StringIdParam,
  response: { status: 202, description: 'cancellation under way', schema: RunSchema },
  errors: [404, 409],
})
