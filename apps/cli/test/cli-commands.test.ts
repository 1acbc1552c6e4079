// The command table is the one source of the CLI's commands: dispatch, `penguin --help`, per-command
// help, shell completion and the README's command reference all come from it.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '@penguin-ai/testkit'
import { describe, expect, test } from 'vitest'
import { AGENT_OPTIONS } from '../src/args.js'
import { completionScript } from '../src/commands/completion.js'
import { helpText } from '../src/commands/help-text.js'
import { AGENT_FLAGS, COMMANDS, commandList, type FlagSpec } from '../src/commands/table.js'
import { runPenguin } from './cli-helpers.js'

const README = new URL('../../../README.md', import.meta.url)

describe('the command table', () => {
  test("README's command reference is the table's list", () => {
    const readme = readFileSync(README, 'utf8')
    const block = readme.match(/<!-- commands:start -->\n```\n([\s\S]*?)\n```\n<!-- commands:end -->/)
    const expected = commandList()
    if (process.env.UPDATE_README && block?.[1] !== expected) {
      writeFileSync(
        README,
        readme.replace(
          block?.[0] ?? '',
          `<!-- commands:start -->\n\`\`\`\n${expected}\n\`\`\`\n<!-- commands:end -->`,
        ),
      )
    }
    expect(
      block?.[1],
      'run UPDATE_README=1 pnpm --filter penguin-ai exec vitest run test/cli-commands.test.ts',
    ).toBe(expected)
  })

  test('the shared run/chat flags are the ones the parser takes', () => {
    const parsed = Object.entries(AGENT_OPTIONS).map(([name, option]) => ({
      name,
      short: 'short' in option ? option.short : undefined,
      takesValue: option.type === 'string',
    }))
    const declared = AGENT_FLAGS.map((flag: FlagSpec) => ({
      name: flag.name,
      short: flag.short,
      takesValue: Boolean(flag.value),
    }))
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)
    expect(declared.sort(byName)).toEqual(parsed.sort(byName))
  })

  test('names and aliases are unique', () => {
    const names = COMMANDS.flatMap((command) => [command.name, ...(command.aliases ?? [])])
    expect(new Set(names).size).toBe(names.length)
    for (const command of COMMANDS) {
      const subs = (command.subcommands ?? []).flatMap((sub) => [sub.name, ...(sub.aliases ?? [])])
      expect(new Set(subs).size, command.name).toBe(subs.length)
      for (const flags of [
        command.flags ?? [],
        ...(command.subcommands ?? []).map((sub) => sub.flags ?? []),
      ]) {
        const keys = flags.flatMap((flag) => [flag.name, ...(flag.short ? [`-${flag.short}`] : [])])
        expect(new Set(keys).size, command.name).toBe(keys.length)
      }
    }
  })

  test('each help is generated from the table: every sub-command and flag, with its help', () => {
    const shows = (text: string, flag: FlagSpec) =>
      text.includes(`--${flag.name}${flag.value ? ` ${flag.value}` : ''}`) &&
      (!flag.short || text.includes(`-${flag.short}, --${flag.name}`)) &&
      text.replace(/\s+/g, ' ').includes(flag.help.split(/\s+/).slice(0, 4).join(' '))
    for (const command of COMMANDS) {
      const help = helpText([command.name])
      expect(help, command.name).toContain(command.about ?? `penguin ${command.name}`)
      for (const flag of command.flags ?? [])
        expect(shows(help, flag), `${command.name} --${flag.name}`).toBe(true)
      for (const sub of command.subcommands ?? []) {
        expect(help, `${command.name} ${sub.name}`).toMatch(new RegExp(`^  ${sub.name}\\b`, 'm'))
        const own = helpText([command.name, sub.name])
        expect(own).toContain(`Usage: penguin ${command.name} ${sub.name}`)
        for (const flag of [...(sub.flags ?? []), ...(command.flags ?? [])])
          expect(shows(own, flag), `${command.name} ${sub.name} --${flag.name}`).toBe(true)
        for (const alias of sub.aliases ?? []) expect(helpText([command.name, alias])).toBe(own)
      }
    }
    const main = helpText([])
    for (const flag of AGENT_FLAGS) expect(shows(main, flag), `penguin --${flag.name}`).toBe(true)
    expect(helpText(['nosuch'])).toBe(main)
  })

  test('no help line is wider than 100 columns', () => {
    // The main help's command list is the README's reference (one row per command), so it is left out.
    const texts = [
      helpText([]).slice(helpText([]).indexOf('Options for run and chat')),
      ...COMMANDS.flatMap((command) => [
        helpText([command.name]),
        ...(command.subcommands ?? []).map((sub) => helpText([command.name, sub.name])),
      ]),
    ]
    const wide = texts.flatMap((text) => text.split('\n')).filter((line) => line.length > 100)
    expect(wide).toEqual([])
  })
})

describe('penguin --help, help COMMAND, COMMAND --help', () => {
  test('--help lists every command; each command answers --help and exits 0', async () => {
    const help = await runPenguin(['--help'])
    expect(help.code).toBe(0)
    for (const command of COMMANDS.filter((entry) => !entry.hidden)) {
      expect(help.stdout).toContain(`penguin ${command.name}`)
    }
    for (const command of COMMANDS) {
      const own = await runPenguin([command.name, '--help'])
      expect({ command: command.name, code: own.code }).toEqual({ command: command.name, code: 0 })
      expect(own.stdout.length).toBeGreaterThan(20)
    }
    const viaHelp = await runPenguin(['help', 'stats'])
    expect(viaHelp.code).toBe(0)
    expect(viaHelp.stdout).toBe((await runPenguin(['stats', '--help'])).stdout)
    expect(viaHelp.stdout).toBe(`${helpText(['stats'])}\n`)
  })

  test('a sub-command answers --help (or -h) with its own options; remote flags may come first', async () => {
    const sub = await runPenguin(['sessions', 'export', 'ses_x', '-h'])
    expect(sub.code).toBe(0)
    expect(sub.stdout).toBe(`${helpText(['sessions', 'export'])}\n`)
    expect(sub.stdout).toContain('-o, --output FILE')
    expect((await runPenguin(['help', 'project', 'run'])).stdout).toBe(`${helpText(['project', 'run'])}\n`)
    const remote = await runPenguin(['--server', 'http://127.0.0.1:9', 'run', '--help'])
    expect(remote.code).toBe(0)
    expect(remote.stdout).toBe(`${helpText(['run'])}\n`)
    // After `--` it is the task's text (or an MCP server's command line), not a flag.
    const task = await runPenguin(['run', '--', '--help'], { env: { PENGUIN_MODEL: '' } })
    expect(task.stdout).not.toContain('Usage:')
  })

  test('an unknown command is a usage error naming it', async () => {
    const result = await runPenguin(['frobnicate'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Unknown command "frobnicate"')
  })
})

describe('penguin completion', () => {
  /** What bash's completion offers for `words` (the last one being completed), via the real script. */
  function bashComplete(script: string, words: string[]): string[] {
    const file = join(tempDir('penguin-completion-'), 'penguin.bash')
    writeFileSync(file, script)
    const program = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _penguin; printf '%s\\n' "\${COMPREPLY[@]}"`
    return execFileSync('bash', ['-c', program, 'bash', file, ...words], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
  }

  test('bash: commands, aliases, sub-commands, flags and flag values, from the printed script', async () => {
    const printed = await runPenguin(['completion', 'bash'])
    expect(printed.code).toBe(0)
    const script = printed.stdout
    expect(bashComplete(script, ['penguin', 'se'])).toEqual(['sessions', 'session', 'serve'])
    expect(bashComplete(script, ['penguin', 'completion', ''])).toEqual(['bash', 'zsh', 'fish'])
    expect(bashComplete(script, ['penguin', 'session', 'f'])).toEqual(['fork'])
    expect(bashComplete(script, ['penguin', 'run', '--api', ''])).toEqual(['chat', 'responses', 'anthropic'])
    expect(bashComplete(script, ['penguin', 'run', '--sa'])).toEqual(['--sandbox'])
    expect(bashComplete(script, ['penguin', '--reas'])).toEqual(['--reasoning'])
    expect(bashComplete(script, ['penguin', 'stats', '--s'])).toEqual(['--since'])
  })

  test('zsh runs the same completion through bashcompinit; fish gets one line per command and flag', async () => {
    const zsh = await runPenguin(['completion', 'zsh'])
    expect(zsh.code).toBe(0)
    expect(zsh.stdout).toMatch(/^#compdef penguin\n/)
    expect(zsh.stdout).toContain('bashcompinit')
    expect(zsh.stdout).toContain(completionScript('bash'))
    const fish = await runPenguin(['completion', 'fish'])
    expect(fish.code).toBe(0)
    for (const command of COMMANDS) {
      expect(fish.stdout).toContain(`-n '__fish_use_subcommand' -a ${command.name} `)
    }
    expect(fish.stdout).toContain(
      "complete -c penguin -n '__fish_seen_subcommand_from run' -l api -x -a 'chat responses anthropic'",
    )
    const bad = await runPenguin(['completion', 'tcsh'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('bash, zsh or fish')
  })
})

describe('a mistyped flag or command is one line and exit 2', () => {
  test.each([
    [['run', '--frobnicate', 'hi'], `Unknown option '--frobnicate'. Run "penguin run --help" for usage.`],
    [['--frobnicate'], `Unknown option '--frobnicate'. Run "penguin --help" for usage.`],
    [
      ['sessions', 'list', '--frobnicate'],
      `Unknown option '--frobnicate'. Run "penguin sessions list --help" for usage.`,
    ],
    [['demo', '--frobnicate'], `Unknown option '--frobnicate'. Run "penguin demo --help" for usage.`],
    [
      ['serve', '--workers', '-1'],
      `Option '--workers' argument is ambiguous. Did you forget to specify the option argument for '--workers'? To specify an option argument starting with a dash use '--workers=-XYZ'. Run "penguin serve --help" for usage.`,
    ],
    [['help', 'frobnicate'], 'Unknown command "frobnicate". Run "penguin --help" for the list of commands.'],
    [
      ['frobnicate', '--help'],
      'Unknown command "frobnicate". Run "penguin --help" for the list of commands.',
    ],
  ])('penguin %j', async (args, line) => {
    const result = await runPenguin(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(`penguin: ${line}\n`)
    expect(result.stdout).toBe('')
  })
})

describe('a command group without one of its subcommands', () => {
  test.each(['sessions', 'project', 'task', 'checkpoint', 'db', 'token'])(
    'penguin %s: help (exit 2) alone, help (exit 0) for help, one line (exit 2) for an unknown word',
    async (group) => {
      const [alone, asked, unknown] = await Promise.all([
        runPenguin([group]),
        runPenguin([group, 'help']),
        runPenguin([group, 'frobnicate']),
      ])
      expect(alone.code).toBe(2)
      expect(alone.stdout).toContain(`penguin ${group}`)
      expect(asked.code).toBe(0)
      expect(asked.stdout).toBe(alone.stdout)
      expect(unknown.code).toBe(2)
      expect(unknown.stderr).toBe(
        `penguin: Unknown ${group} command "frobnicate". Run "penguin ${group} --help" for the list.\n`,
      )
    },
  )
})
