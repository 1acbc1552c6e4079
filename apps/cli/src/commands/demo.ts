import { cp, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Engine } from '@penguin-ai/engine'
import { registerAdapter } from '@penguin-ai/llm'
import { openWorkspace } from '@penguin-ai/tools'
import { flagError } from '../cli-error.js'
import { createScriptedAdapter, DEMO_PROMPT, SAMPLE_DIR, scriptedModel } from '../demo/index.js'
import { exitCodeFor, onInterrupt } from '../interrupt.js'
import { createHumanRenderer, painter, useColor } from '../render/human.js'
import { printHelp } from './help-text.js'
import { DEMO } from './spec/agent.js'
import { optionsOf } from './spec/types.js'

/**
 * `penguin demo`: a real session — real tools, real edits, real tests — on a copy of a sample
 * repository, driven by a scripted model that plugs in like any provider adapter.
 */
export async function demoCommand(argv: string[]): Promise<number> {
  let fast = false
  try {
    const { values } = parseArgs({
      args: argv,
      options: optionsOf(DEMO.flags),
    })
    if (values.help) {
      return printHelp(['demo'])
    }
    fast = values.fast ?? false
  } catch (error) {
    throw flagError(error, 'demo')
  }

  const dir = await mkdtemp(join(tmpdir(), 'penguin-demo-'))
  await cp(SAMPLE_DIR, dir, { recursive: true })
  const color = useColor(process.stdout)
  const paint = painter(color)
  process.stdout.write(
    paint.dim(`Penguin demo · scripted model · sample project copied to ${dir}\n`) +
      `${paint.bold('Task:')} ${DEMO_PROMPT}\n\n`,
  )

  registerAdapter(createScriptedAdapter({ wordDelayMs: fast || !process.stdout.isTTY ? 0 : 15 }))
  const engine = new Engine({
    model: scriptedModel(),
    workspace: await openWorkspace(dir),
    // The demo works on its own temporary copy, so its edits and commands need no approval.
    autoApprove: true,
  })
  const controller = new AbortController()
  const interrupt = onInterrupt(
    () => controller.abort(),
    (text) => process.stderr.write(text),
  )
  try {
    const result = await engine.run(DEMO_PROMPT, {
      signal: controller.signal,
      onEvent: createHumanRenderer({ text: process.stdout, info: process.stdout, color }),
    })
    process.stdout.write(`\nThe edited sample is in ${dir}\n`)
    return exitCodeFor(result.status)
  } finally {
    interrupt.dispose()
  }
}
