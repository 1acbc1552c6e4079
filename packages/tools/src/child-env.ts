import { wildcardMatch } from './permission.js'

/**
 * Names that hold credentials: API keys, tokens, secrets, passwords, private and access keys,
 * AWS's credential variables and every `PENGUIN_*` variable (server and metrics tokens among them).
 */
const CREDENTIAL_NAME =
  /API_?KEY|(?:^|_)TOKEN(?:$|_)|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE_KEY|ACCESS_KEY|(?:^|_)KEY$|(?:^|_)AUTH$|^AWS_SESSION_|^AWS_SECURITY_|^PENGUIN_/i

/** A URL carrying a password (`https://user:pass@host`, `postgres://u:p@db/x`). */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i

/** Whether a variable name looks like it holds a credential (see `childEnvironment`). */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name)
}

export interface ChildEnvironmentOptions {
  /**
   * Variables to keep although they look like credentials: exact names or wildcards (`NPM_*`).
   * From the user's configuration (`env.allow`); each one is a secret handed to the agent.
   */
  allow?: readonly string[]
}

/**
 * The environment for commands the model runs: the user's, minus credentials, plus hints that keep
 * tools non-interactive. A credential is a variable whose name looks like one (`*_API_KEY`,
 * `*_TOKEN`, `*SECRET*`, `*PASSWORD*`, `AWS_ACCESS_KEY_ID`, `AWS_SESSION_TOKEN`, `PENGUIN_*`, …)
 * or whose value is a URL with a password in it. Without them the agent cannot echo keys into its
 * context (and so to the model provider), nor use them on the user's behalf.
 */
export function childEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  options: ChildEnvironmentOptions = {},
): NodeJS.ProcessEnv {
  const allow = options.allow ?? []
  const result: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(env)) {
    const credential = isCredentialName(name) || (value !== undefined && URL_WITH_PASSWORD.test(value))
    if (credential && !allow.some((pattern) => wildcardMatch(pattern, name))) continue
    result[name] = value
  }
  return {
    ...result,
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    TERM: 'dumb',
    NO_COLOR: '1',
    GIT_TERMINAL_PROMPT: '0',
    // `git commit` without -m would otherwise wait for an editor until the timeout.
    GIT_EDITOR: 'true',
  }
}
