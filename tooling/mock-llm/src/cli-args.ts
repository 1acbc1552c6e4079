/** Turns `mock-llm` command-line arguments into server options (pure apart from reading the script). */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { parseScript } from './parse.js'
import type { MockServerOptions } from './types.js'

export const USAGE = 'usage: mock-llm [--script FILE] [--port N] [--host HOST] [--api-key KEY] [--models a,b]'

/** Undefined when `--help` was asked for. Throws with a readable message on bad arguments. */
export async function optionsFromArgs(argv: string[]): Promise<MockServerOptions | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: {
      script: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      models: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return undefined
  const options: MockServerOptions = {}
  if (values.script !== undefined) {
    const text = await readFile(values.script, 'utf8')
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      throw new Error(
        `${values.script} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    options.script = parseScript(json)
  }
  if (values.port !== undefined) {
    const port = Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--port must be 0-65535, got ${values.port}`)
    options.port = port
  }
  if (values.host !== undefined) options.host = values.host
  if (values['api-key'] !== undefined) options.requireApiKey = values['api-key']
  if (values.models !== undefined) options.models = values.models.split(',').map((m) => m.trim())
  return options
}
