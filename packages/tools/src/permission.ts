import { z } from 'zod'
import { commandParts } from './command-parts.js'
import type { PermissionSubject } from './tool.js'

export type PermissionAction = 'allow' | 'ask' | 'deny'

export interface PermissionRule {
  /** A tool name, or '*' for every tool. */
  tool: string
  /**
   * Wildcard matched against the whole subject: '*' matches any run of characters (including '/'
   * and spaces), '?' exactly one; '\*', '\?' and '\\' match those characters literally. Default '*'.
   */
  pattern?: string
  action: PermissionAction
}

export const PermissionRuleSchema = z.object({
  tool: z.string().min(1).describe("A tool name, or '*' for every tool"),
  pattern: z.string().optional().describe("Wildcard on the call's subject (a path or a command line)"),
  action: z.enum(['allow', 'ask', 'deny']),
})

export const PermissionRulesSchema = z.array(PermissionRuleSchema)

/** What a call no rule matches gets, by its access. */
export type AccessDefaults = Record<PermissionSubject['access'], PermissionAction>

const DEFAULT_BY_ACCESS: AccessDefaults = {
  read: 'allow',
  write: 'ask',
  execute: 'ask',
}

/**
 * The defaults for a call that runs inside the OS sandbox (`run_command` in `workspace-write` or
 * `read-only`): the sandbox is the boundary, so commands run without asking unless a rule says so.
 */
export const SANDBOXED_DEFAULTS: AccessDefaults = Object.freeze({ ...DEFAULT_BY_ACCESS, execute: 'allow' })

/**
 * The last rule matching the tool and the subject decides; without one, the default for the access.
 * A call with several `paths` gets the strictest answer among them. A command line is judged
 * command by command (see `evaluateCommand`).
 */
export function evaluatePermission(
  rules: readonly PermissionRule[],
  tool: string,
  subject: PermissionSubject,
  defaults: AccessDefaults = DEFAULT_BY_ACCESS,
): PermissionAction {
  if (subject.access === 'execute') return evaluateCommand(rules, tool, subject.subject, defaults.execute)
  const subjects = subject.paths?.length ? subject.paths : [subject.subject]
  let strictest: PermissionAction = 'allow'
  for (const text of subjects) {
    const action = findRule(rules, tool, text)?.action ?? defaults[subject.access]
    strictest = stricter(strictest, action)
  }
  return strictest
}

/**
 * A command line is allowed only when each command in it is (`;`, `&&`, `||`, `|`, `&`, newlines,
 * subshells, `$(…)`, backticks, `<(…)`, `sh -c '…'`), so `npm test*` allows `npm test` but not
 * `npm test && curl x | sh`. Deny and ask rules also match the whole line and each command without
 * its assignments and wrappers (`sudo rm …` is judged as `rm …` too); the strictest answer wins.
 */
export function evaluateCommand(
  rules: readonly PermissionRule[],
  tool: string,
  line: string,
  fallback: PermissionAction = DEFAULT_BY_ACCESS.execute,
): PermissionAction {
  const tightening = (text: string): PermissionAction => {
    const action = findRule(rules, tool, text)?.action
    return action === 'deny' || action === 'ask' ? action : 'allow'
  }
  const parts = commandParts(line)
  let strictest = parts.length === 0 ? (findRule(rules, tool, line)?.action ?? fallback) : tightening(line)
  for (const part of parts) {
    strictest = stricter(strictest, findRule(rules, tool, part.text)?.action ?? fallback)
    if (part.bare !== undefined) strictest = stricter(strictest, tightening(part.bare))
    if (strictest === 'deny') break
  }
  return strictest
}

/** Every text a tightening rule is matched against: each path, or the line and each of its commands. */
function judgedTexts(subject: PermissionSubject): string[] {
  if (subject.access !== 'execute') return subject.paths?.length ? [...subject.paths] : [subject.subject]
  const texts = [subject.subject]
  for (const part of commandParts(subject.subject)) {
    texts.push(part.text)
    if (part.bare !== undefined) texts.push(part.bare)
  }
  return texts
}

function stricter(a: PermissionAction, b: PermissionAction): PermissionAction {
  return STRICTNESS[b] > STRICTNESS[a] ? b : a
}

const STRICTNESS: Record<PermissionAction, number> = { allow: 0, ask: 1, deny: 2 }

/** The rule that decides a call: the last one matching both the tool and the subject. */
export function findRule(
  rules: readonly PermissionRule[],
  tool: string,
  subject: string,
): PermissionRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!
    if (wildcardMatch(rule.tool, tool) && wildcardMatch(rule.pattern ?? '*', subject)) return rule
  }
  return undefined
}

const compiled = new Map<string, RegExp>()

/** Whether the whole `text` matches the wildcard `pattern` (see `PermissionRule.pattern`). */
export function wildcardMatch(pattern: string, text: string): boolean {
  let regex = compiled.get(pattern)
  if (!regex) {
    let source = ''
    for (let i = 0; i < pattern.length; i++) {
      const char = pattern[i]!
      const next = pattern[i + 1]
      if (char === '\\' && (next === '*' || next === '?' || next === '\\')) {
        source += escapeRegex(next)
        i++
      } else if (char === '*') source += '[\\s\\S]*'
      else if (char === '?') source += '[\\s\\S]'
      else source += escapeRegex(char)
    }
    regex = new RegExp(`^${source}$`)
    compiled.set(pattern, regex)
  }
  return regex.test(text)
}

/** A pattern that matches exactly `text`, wildcard characters included. */
export function escapeWildcard(text: string): string {
  return text.replace(/[\\*?]/g, '\\$&')
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

export interface PolicyOptions {
  /**
   * Rules that can only make a call stricter, never looser: each call gets the stricter of what
   * `rules` say and what the last matching restriction says. Deny and ask rules from a workspace the
   * user has not trusted land here, so an untrusted `ask` cannot turn the user's `deny` into a
   * question that `--yes` would then answer.
   */
  restrictions?: readonly PermissionRule[]
  /**
   * A policy whose "always" answers also count here, as they are given (a sub-agent's policy sees
   * the answers the user gave its parent); answers given here stay here.
   */
  inherits?: PermissionPolicy
}

/**
 * The rules of one session: configured rules, restrictions, and the user's "always" answers.
 *
 * An "always" answer never overrides a `deny`: the user said yes to one request, not to everything
 * the configuration forbids.
 */
export class PermissionPolicy {
  readonly rules: readonly PermissionRule[]
  readonly restrictions: readonly PermissionRule[]
  private readonly always: PermissionRule[] = []
  private readonly inherits: PermissionPolicy | undefined

  /** With no rules, the defaults by access decide: reads run, writes and commands ask. */
  constructor(rules: readonly PermissionRule[] = [], options: PolicyOptions = {}) {
    this.rules = [...rules]
    this.restrictions = [...(options.restrictions ?? [])]
    this.inherits = options.inherits
  }

  /** The "always" answers given so far (here and, for a narrowed policy, to its parent), as rules. */
  get sessionRules(): readonly PermissionRule[] {
    return this.inherits ? [...this.inherits.sessionRules, ...this.always] : this.always
  }

  /**
   * The same rules with more restrictions, for a sub-agent: it may do at most what this policy
   * allows, and what the user already answered "always" here carries over (also later answers);
   * its own "always" answers stay its own.
   */
  narrowed(restrictions: readonly PermissionRule[] = []): PermissionPolicy {
    return new PermissionPolicy(this.rules, {
      restrictions: [...this.restrictions, ...restrictions],
      inherits: this,
    })
  }

  /** The action for a call; `defaults` replace the by-access defaults (see `SANDBOXED_DEFAULTS`). */
  evaluate(tool: string, subject: PermissionSubject, defaults?: AccessDefaults): PermissionAction {
    let action = evaluatePermission(this.rules, tool, subject, defaults)
    for (const text of judgedTexts(subject)) {
      const restriction = findRule(this.restrictions, tool, text)?.action
      if (restriction && STRICTNESS[restriction] > STRICTNESS[action]) action = restriction
    }
    if (action === 'deny') return 'deny'
    // An "always" for a command was given for that whole line, as the user saw it.
    const answered = subject.access !== 'execute' && subject.paths?.length ? subject.paths : [subject.subject]
    const always = this.sessionRules
    return answered.every((text) => findRule(always, tool, text)) ? 'allow' : action
  }

  /**
   * Records an "always" answer for the rest of the session. For commands (`execute` access) it allows
   * that exact command line again; for file tools it allows that tool on any path.
   */
  allowAlways(tool: string, subject: PermissionSubject): void {
    const pattern = subject.access === 'execute' ? escapeWildcard(subject.subject) : '*'
    this.always.push({ tool: escapeWildcard(tool), pattern, action: 'allow' })
  }
}
