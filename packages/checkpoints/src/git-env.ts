import { devNull } from 'node:os'

/** Who the snapshot commits are by; never the user's identity, which may not even be configured. */
const IDENTITY = { name: 'Penguin', email: 'penguin@localhost' }

/**
 * The environment every git call runs with: the user's, minus anything `GIT_*` (a hook or an IDE may
 * have set GIT_DIR, GIT_INDEX_FILE or GIT_CONFIG_PARAMETERS, which would redirect us into their
 * repository), with system and global config switched off so aliases, hooks paths, signing, LFS
 * filters or fsmonitor daemons configured for the user's own work cannot change what we record.
 * HOME is left alone: other programs git may start still need it.
 */
export function gitEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(env))
    if (!name.toUpperCase().startsWith('GIT_')) result[name] = value
  return {
    ...result,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    GIT_AUTHOR_NAME: IDENTITY.name,
    GIT_AUTHOR_EMAIL: IDENTITY.email,
    GIT_COMMITTER_NAME: IDENTITY.name,
    GIT_COMMITTER_EMAIL: IDENTITY.email,
    GIT_TERMINAL_PROMPT: '0',
  }
}

/**
 * `-c` settings for every call. Byte-exact storage (no CRLF conversion), no hooks, no signing, no
 * background gc (prune decides when to collect), and no per-user ignore/attribute files: git reads
 * ~/.config/git/{ignore,attributes} even when global config is off, so those are pointed at nothing
 * (the user's own `.git/info/exclude` is passed in instead, when there is one).
 */
export function gitConfigArgs(excludesFile: string = devNull): string[] {
  return gitConfigSettings(excludesFile).flatMap((setting) => ['-c', setting])
}

/**
 * The same settings as environment variables (GIT_CONFIG_COUNT/KEY_n/VALUE_n, git 2.31+: the
 * command-line scope, as `-c`), for scripts that run several git commands in one shell.
 */
export function gitConfigEnvironment(excludesFile: string = devNull): NodeJS.ProcessEnv {
  const settings = gitConfigSettings(excludesFile)
  const env: NodeJS.ProcessEnv = { GIT_CONFIG_COUNT: String(settings.length) }
  settings.forEach((setting, index) => {
    const equals = setting.indexOf('=')
    env[`GIT_CONFIG_KEY_${index}`] = setting.slice(0, equals)
    env[`GIT_CONFIG_VALUE_${index}`] = setting.slice(equals + 1)
  })
  return env
}

function gitConfigSettings(excludesFile: string): string[] {
  return [
    'core.autocrlf=false',
    'core.safecrlf=false',
    'core.quotepath=false',
    'core.symlinks=true',
    'core.fsmonitor=false',
    'core.untrackedCache=false',
    'core.sparseCheckout=false',
    'core.splitIndex=false',
    `core.hooksPath=${devNull}`,
    `core.attributesFile=${devNull}`,
    `core.excludesFile=${excludesFile}`,
    'commit.gpgsign=false',
    'gc.auto=0',
    'maintenance.auto=false',
    'init.defaultBranch=main',
    'advice.addEmbeddedRepo=false',
  ]
}

/**
 * Written to the shadow repository's `info/attributes`, which outranks every `.gitattributes` in the
 * workspace: snapshots store the bytes as they are on disk, so restore brings back exactly those
 * bytes whatever `text`, `eol`, `filter` or `working-tree-encoding` rules the project declares.
 */
export const ATTRIBUTES = '* -text -eol -filter -ident -working-tree-encoding\n'
