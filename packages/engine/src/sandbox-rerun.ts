/**
 * After the sandbox refused a call something (a write outside, the network, a hidden path): a run
 * that can ask offers the user to re-run it outside the sandbox, with their full rights — never
 * automatically. The model reads what happened either way.
 */
import type { ToolCall } from '@penguin-ai/llm'
import type { Tool, ToolResult } from '@penguin-ai/tools'
import { ask, request } from './tool-prepare.js'
import type { ToolRunnerOptions } from './tool-runner.js'

export async function offerOutside(
  call: { call: ToolCall; tool: Tool; args: unknown; title: string },
  refused: ToolResult,
  options: ToolRunnerOptions,
  runOutside: () => Promise<ToolResult>,
): Promise<ToolResult> {
  const refusal = refused.sandboxRefusal!
  if (!options.askPermission) {
    return {
      ...refused,
      output:
        `${refused.output}\nThis run cannot ask the user to re-run it outside the sandbox. Do not retry it as it is: ` +
        `do the work within the sandbox's limits, or tell the user what it needs (they can allow it with --sandbox off, ` +
        `or with "sandbox.excluded_commands" in their config).`,
    }
  }
  const preview = await call.tool.preview(call.args, options.workspace, { files: options.files })
  const subject = call.tool.permission(call.args, options.workspace)
  const base = preview.ok
    ? request(call, subject, preview.preview)
    : request(call, subject, { kind: 'generic', summary: call.title, args: call.args })
  const reply = await ask(
    {
      ...base,
      reason: `was refused by the sandbox: ${refusal.summary}. Yes re-runs it outside the sandbox, with your full rights`,
      outsideSandbox: true,
    },
    options,
  )
  if (reply === 'reject') {
    return {
      ...refused,
      output: `${refused.output}\nThe user declined to re-run it outside the sandbox. Do not retry it; work within the sandbox's limits or ask the user.`,
    }
  }
  const outside = await runOutside()
  return {
    ...outside,
    output: `(Re-run outside the sandbox at the user's request.)\n${outside.output}`,
    ...(outside.details?.kind === 'command' ? { details: { ...outside.details, outsideSandbox: true } } : {}),
  }
}
