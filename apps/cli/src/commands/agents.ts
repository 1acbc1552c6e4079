/** `penguin agents list|show NAME`: the built-in agents and the agent files this workspace can use. */
import type { AgentDefinition } from '@penguin-ai/config'
import { EXIT, usageError } from '../cli-error.js'
import { parseCommand, print } from '../flags.js'
import { checkDirectory, configured } from '../setup.js'
import { printHelp } from './help-text.js'
import { AGENTS } from './spec/agent.js'

export async function agentsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, AGENTS)
  const [action = 'list', name, ...extra] = positionals
  if (values.help || action === 'help') {
    return printHelp(['agents'])
  }
  if (action !== 'list' && action !== 'show')
    throw usageError(`Unknown agents command "${action}". Use list or show NAME.`)
  if (action === 'list' && name !== undefined)
    throw usageError('penguin agents list takes no name (use: penguin agents show NAME).')
  if (action === 'show' && name === undefined)
    throw usageError('penguin agents show needs a NAME (see: penguin agents list).')
  if (extra.length) throw usageError(`Unexpected argument "${extra[0]}".`)

  const workspace = await checkDirectory(values.cwd ?? process.cwd())
  const config = await import('@penguin-ai/config')
  const resolved = await configured(() => config.resolveConfig({ workspace, env: process.env, flags: {} }))
  const catalogue = await config.loadAgents({
    workspace: resolved.workspace,
    trusted: resolved.trust.state === 'trusted',
    env: process.env,
  })
  for (const line of catalogue.warnings) process.stderr.write(`penguin: ${line}\n`)

  if (action === 'list') {
    if (values.json) {
      print(JSON.stringify({ agents: catalogue.agents.map(summary), problems: catalogue.problems }, null, 2))
      return EXIT.ok
    }
    const width = Math.max(...catalogue.agents.map((agent) => agent.name.length))
    for (const agent of catalogue.agents) {
      print(`${agent.name.padEnd(width)}  ${originLabel(agent).padEnd(9)}  ${agent.description}`)
    }
    return EXIT.ok
  }
  const agent = config.findAgent(catalogue.agents, name as string)
  if (!agent) {
    const known = catalogue.agents.map((a) => a.name).join(', ')
    throw usageError(`Unknown agent "${name}". Available: ${known}.`)
  }
  if (values.json) {
    print(JSON.stringify(agent, null, 2))
    return EXIT.ok
  }
  const lines = [
    `name:        ${agent.name}`,
    `description: ${agent.description || '-'}`,
    `source:      ${agent.file ?? 'built-in'}`,
    `tools:       ${agent.tools ? agent.tools.join(', ') : 'all available'}`,
    ...(agent.disallowedTools ? [`not tools:   ${agent.disallowedTools.join(', ')}`] : []),
    `model:       ${agent.model ?? "the session's"}`,
    ...(agent.reasoning ? [`reasoning:   ${agent.reasoning}`] : []),
    ...(agent.maxIterations ? [`max iterations: ${agent.maxIterations}`] : []),
    ...(agent.permissions?.length
      ? [
          `permissions: ${agent.permissions.map((r) => `${r.action} ${r.tool}${r.pattern ? ` ${r.pattern}` : ''}`).join('; ')}${agent.origin === 'workspace' ? ' (can only tighten)' : ''}`,
        ]
      : []),
    '',
    agent.prompt,
  ]
  print(lines.join('\n'))
  return EXIT.ok
}

function originLabel(agent: AgentDefinition): string {
  return agent.origin === 'builtin' ? 'built-in' : agent.origin
}

function summary(agent: AgentDefinition): Omit<AgentDefinition, 'prompt'> {
  const { prompt: _prompt, ...rest } = agent
  return rest
}
