import type { ApiToken } from '@penguin-ai/store'
import { EXIT, usageError } from '../cli-error.js'
import { parseSubcommand, print } from '../flags.js'
import { table } from '../store/render.js'
import { withServerStore } from '../store/shared.js'
import { printHelp, subcommandFallback } from './help-text.js'
import { TOKEN } from './spec/store.js'

/** `penguin token create|list|revoke`: the API tokens `penguin serve` accepts (SQLite or PostgreSQL). */
export async function tokenCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'create':
      return create(rest)
    case 'list':
    case 'ls':
      return list(rest)
    case 'revoke':
      return revoke(rest)
    default:
      return subcommandFallback('token', sub)
  }
}

async function create(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, TOKEN, 'create')
  if (values.help) return help()
  const name = values.name ?? positionals[0]
  if (!name?.trim()) throw usageError('Missing --name: penguin token create --name ci')
  return withServerStore(values, async (store) => {
    const { token, record } = await store.createToken(name)
    if (values.json) {
      print(JSON.stringify({ token, ...record }, null, 2))
    } else {
      print(token)
      process.stderr.write(
        `Created token ${record.id} "${record.name}". It is shown only now: store it somewhere safe.\n` +
          `Use it as: Authorization: Bearer ${record.prefix}…\n`,
      )
    }
    return EXIT.ok
  })
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseSubcommand(argv, TOKEN, 'list')
  if (values.help) return help()
  return withServerStore(values, async (store) => {
    const tokens = await store.listTokens()
    if (values.json) print(JSON.stringify(tokens, null, 2))
    else print(tokenTable(tokens))
    return EXIT.ok
  })
}

async function revoke(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, TOKEN, 'revoke')
  if (values.help) return help()
  const ref = positionals[0]
  if (!ref) throw usageError('Missing the token to revoke: penguin token revoke ID|NAME')
  return withServerStore(values, async (store) => {
    const token = await store.revokeToken(ref)
    if (values.json) print(JSON.stringify(token, null, 2))
    else print(`Revoked token ${token.id} "${token.name}".`)
    return EXIT.ok
  })
}

function tokenTable(tokens: ApiToken[]): string {
  if (tokens.length === 0) return 'No tokens yet. Create one with: penguin token create --name N'
  return table(
    ['ID', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'STATUS'],
    tokens.map((t) => [
      String(t.id),
      t.name,
      `${t.prefix}…`,
      t.createdAt.slice(0, 19).replace('T', ' '),
      t.lastUsedAt ? t.lastUsedAt.slice(0, 19).replace('T', ' ') : '-',
      t.revokedAt ? 'revoked' : 'active',
    ]),
  )
}

function help(): number {
  return printHelp(['token'])
}
