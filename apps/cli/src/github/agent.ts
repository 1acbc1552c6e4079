import { describeSandbox, engineOptions } from '@penguin-ai/config'
import {
  Engine,
  type EngineEvent,
  type EngineOptions,
  environmentPrompt,
  type RunResult,
} from '@penguin-ai/engine'
import { preloadModel } from '@penguin-ai/llm'
import { secretRedactor } from '@penguin-ai/sessions'
import type { AgentFlags } from '../args.js'
import { loadExtensions } from '../extensions.js'
import { DenialLog } from '../render/denials.js'
import { createHumanRenderer, painter, useColor } from '../render/human.js'
import { LineReader } from '../render/line-reader.js'
import { promptOn, terminalPermissionPrompt } from '../render/permission-prompt.js'
import { openAgent } from '../session/open.js'
import { type AgentSetup, modelNotes, prepareAgent } from '../setup.js'

export interface GitHubAgent {
  setup: AgentSetup
  sessionId?: string
  denials: DenialLog
  run(prompt: string, signal: AbortSignal): Promise<RunResult>
  close(): Promise<void>
}

/**
 * The agent for `penguin github`, set up exactly as `penguin run` sets up its own (config, agent
 * file, extensions, sandbox, permissions, stored session), in `workspace`. Its output goes to
 * stderr: stdout is kept for the command's result (a URL). `secrets` (the GitHub token) are
 * redacted from what the session stores even though the environment no longer holds them.
 */
export async function openGitHubAgent(
  flags: AgentFlags,
  workspace: string,
  secrets: string[],
  extra: Partial<EngineOptions> = {},
): Promise<GitHubAgent> {
  const agentFlags: AgentFlags = { ...flags, cwd: workspace }
  const setup = await prepareAgent(agentFlags)
  const warn = (text: string) => process.stderr.write(text)
  if (flags.debug) for (const note of modelNotes(setup)) warn(`penguin: ${note}\n`)
  if (!setup.sandbox.instance) {
    warn(`${painter(useColor(process.stderr)).yellow(`! ${describeSandbox(setup.sandbox)}`)}\n`)
  }
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY)
  const reader = interactive ? new LineReader(process.stdin, process.stderr, true) : undefined
  const loaded = await loadExtensions(setup, {
    autoApprove: flags.yes,
    warn: (line) => warn(`penguin: ${line}\n`),
  })
  const ask = reader ? terminalPermissionPrompt(reader, warn, promptOn(process.stderr)) : undefined
  const options: EngineOptions = engineOptions(setup, {
    autoApprove: flags.yes,
    ...(loaded ? { extensions: loaded.extensions } : {}),
    ...(ask ? { askPermission: ask } : {}),
    ...extra,
  })
  void preloadModel(setup.model)
  options.systemPrompt ??= environmentPrompt(options)
  const bound = await openAgent(setup, agentFlags, options, warn, {
    redact: secretRedactor(process.env, secrets),
  })
  const engine = bound?.agent.engine ?? new Engine(options)
  const denials = new DenialLog((tool) => engine.isReadOnlyTool(tool))
  const render = createHumanRenderer({
    text: process.stderr,
    info: process.stderr,
    color: useColor(process.stderr),
    denials,
    hideReasoning: flags.hideReasoning,
  })
  const onEvent = (event: EngineEvent) => {
    denials.observe(event)
    render(event)
  }
  return {
    setup,
    ...(bound ? { sessionId: bound.agent.session.id } : {}),
    denials,
    run: (prompt, signal) =>
      bound ? bound.agent.run(prompt, { signal, onEvent }) : engine.run(prompt, { signal, onEvent }),
    async close() {
      reader?.close()
      await bound?.close()
      await loaded?.close('other')
      await setup.sandbox.instance?.close()
    },
  }
}
