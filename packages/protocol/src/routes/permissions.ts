/** Pending permission asks of running sessions, and their answers. */

import { route } from '../route.js'
import { listOf, StringIdParam } from '../schemas/common.js'
import {
  PermissionAnsweredSchema,
  PermissionReplyBody,
  PermissionSchema,
  PermissionsQuery,
} from '../schemas/runs.js'

export const listPermissions = route({
  method: 'get',
  path: '/permissions',
  summary: 'Pending permission asks',
  tags: ['permissions'],
  query: PermissionsQuery,
  response: { status: 200, description: 'pending asks, oldest first', schema: listOf(PermissionSchema) },
})

export const replyPermission = route({
  method: 'post',
  path: '/permissions/{id}',
  summary: 'Answer a permission ask: once, always (for the rest of the session run), or reject',
  notes: '404 unknown or already answered',
  tags: ['permissions'],
  params: StringIdParam,
  body: PermissionReplyBody,
  response: { status: 200, description: 'the answer', schema: PermissionAnsweredSchema },
  errors: [404],
})
