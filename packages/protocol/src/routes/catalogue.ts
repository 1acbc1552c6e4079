/** What the server offers: models, agents, and what has been spent. */

import { route } from '../route.js'
import { AgentListSchema, ListAgentsQuery } from '../schemas/agents.js'
import { ModelListSchema } from '../schemas/models.js'
import { UsageQuery, UsageSummarySchema } from '../schemas/usage.js'

export const listModels = route({
  method: 'get',
  path: '/models',
  summary: 'The model catalogue: context windows and prices (USD per million tokens)',
  tags: ['models'],
  response: { status: 200, description: 'known models and the default', schema: ModelListSchema },
})

export const listAgents = route({
  method: 'get',
  path: '/agents',
  summary:
    "The agents a session on this workspace can run as: the built-ins, the server user's agent files, and the workspace's own once it is trusted",
  notes: "A workspace's own agent files count only once its server user trusted it; 403 outside `--root`",
  tags: ['agents'],
  query: ListAgentsQuery,
  response: { status: 200, description: 'agents', schema: AgentListSchema },
  errors: [403, 404, 422],
})

export const usageSummary = route({
  method: 'get',
  path: '/usage',
  summary: 'Spending in total, by model and by project (project runs plus session messages)',
  notes: '`since`: a time or a date. Only sessions and projects under `--root` count',
  tags: ['usage'],
  query: UsageQuery,
  response: { status: 200, description: 'the summary', schema: UsageSummarySchema },
})
