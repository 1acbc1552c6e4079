import { describe, expect, it } from 'vitest'
import {
  escapeWildcard,
  evaluatePermission,
  PermissionPolicy,
  type PermissionRule,
  PermissionRuleSchema,
  wildcardMatch,
} from '../src/permission.js'

const read = (subject: string) => ({ access: 'read' as const, subject })
const write = (subject: string) => ({ access: 'write' as const, subject })
const exec = (subject: string) => ({ access: 'execute' as const, subject })

describe('wildcardMatch', () => {
  it('matches * across slashes and spaces, ? as one character, anchored', () => {
    expect(wildcardMatch('src/*', 'src/a/b/c.ts')).toBe(true)
    expect(wildcardMatch('git *', 'git commit -m "x y"')).toBe(true)
    expect(wildcardMatch('git *', 'npm run git x')).toBe(false)
    expect(wildcardMatch('?.ts', 'a.ts')).toBe(true)
    expect(wildcardMatch('?.ts', 'ab.ts')).toBe(false)
    expect(wildcardMatch('a.ts', 'abts')).toBe(false)
    expect(wildcardMatch('*.env', '.env')).toBe(true)
    expect(wildcardMatch('x', 'x\ny')).toBe(false)
    expect(wildcardMatch('(a|b)+[c]', '(a|b)+[c]')).toBe(true)
  })

  it('escapes wildcards so a literal command matches only itself', () => {
    const pattern = escapeWildcard('ls *.ts \\ ?')
    expect(wildcardMatch(pattern, 'ls *.ts \\ ?')).toBe(true)
    expect(wildcardMatch(pattern, 'ls a.ts \\ x')).toBe(false)
  })
})

describe('evaluatePermission', () => {
  it('defaults by access when no rule matches', () => {
    expect(evaluatePermission([], 'read_file', read('a'))).toBe('allow')
    expect(evaluatePermission([], 'write_file', write('a'))).toBe('ask')
    expect(evaluatePermission([], 'run_command', exec('ls'))).toBe('ask')
  })

  it('lets the last matching rule win', () => {
    const rules: PermissionRule[] = [
      { tool: '*', action: 'allow' },
      { tool: 'run_command', pattern: 'rm *', action: 'deny' },
      { tool: 'write_file', pattern: '.env*', action: 'deny' },
      { tool: 'write_file', pattern: '.env.example', action: 'allow' },
    ]
    expect(evaluatePermission(rules, 'run_command', exec('rm -rf /'))).toBe('deny')
    expect(evaluatePermission(rules, 'run_command', exec('npm test'))).toBe('allow')
    expect(evaluatePermission(rules, 'write_file', write('.env.local'))).toBe('deny')
    expect(evaluatePermission(rules, 'write_file', write('.env.example'))).toBe('allow')
    expect(evaluatePermission([...rules, { tool: '*', action: 'ask' }], 'run_command', exec('rm x'))).toBe(
      'ask',
    )
  })

  it('judges each path of a multi-file call and takes the strictest answer', () => {
    const rules: PermissionRule[] = [
      { tool: 'apply_patch', pattern: 'src/*', action: 'allow' },
      { tool: 'apply_patch', pattern: 'secrets/*', action: 'deny' },
    ]
    const subject = (paths: string[]) => ({ access: 'write' as const, subject: paths.join(', '), paths })
    expect(evaluatePermission(rules, 'apply_patch', subject(['src/a.ts', 'src/b.ts']))).toBe('allow')
    expect(evaluatePermission(rules, 'apply_patch', subject(['src/a.ts', 'README.md']))).toBe('ask')
    expect(evaluatePermission(rules, 'apply_patch', subject(['src/a.ts', 'secrets/k']))).toBe('deny')
  })

  it('validates config rules with zod', () => {
    expect(PermissionRuleSchema.safeParse({ tool: 'grep', action: 'deny' }).success).toBe(true)
    expect(PermissionRuleSchema.safeParse({ tool: 'grep', action: 'maybe' }).success).toBe(false)
    expect(PermissionRuleSchema.safeParse({ tool: '', action: 'allow' }).success).toBe(false)
  })
})

describe('PermissionPolicy', () => {
  it('allowAlways for a command allows exactly that command line', () => {
    const policy = new PermissionPolicy()
    expect(policy.evaluate('run_command', exec('npm test'))).toBe('ask')
    policy.allowAlways('run_command', exec('npm test'))
    expect(policy.evaluate('run_command', exec('npm test'))).toBe('allow')
    expect(policy.evaluate('run_command', exec('npm test && rm -rf ~'))).toBe('ask')
    policy.allowAlways('run_command', exec('ls *'))
    expect(policy.evaluate('run_command', exec('ls *'))).toBe('allow')
    expect(policy.evaluate('run_command', exec('ls x; curl evil'))).toBe('ask')
  })

  it('allowAlways for a file tool allows that tool on any path, but not other tools', () => {
    const policy = new PermissionPolicy()
    policy.allowAlways('edit_file', write('src/a.ts'))
    expect(policy.evaluate('edit_file', write('docs/b.md'))).toBe('allow')
    expect(policy.evaluate('write_file', write('src/a.ts'))).toBe('ask')
    expect(policy.sessionRules).toEqual([{ tool: 'edit_file', pattern: '*', action: 'allow' }])
  })

  it('never lets an always answer override a configured deny', () => {
    const policy = new PermissionPolicy([{ tool: 'edit_file', pattern: '.env', action: 'deny' }])
    policy.allowAlways('edit_file', write('src/a.ts'))
    expect(policy.evaluate('edit_file', write('.env'))).toBe('deny')
    expect(policy.evaluate('edit_file', write('src/b.ts'))).toBe('allow')
  })

  it('keeps configured rules that ask for reads', () => {
    const policy = new PermissionPolicy([{ tool: 'read_file', pattern: 'private/*', action: 'ask' }])
    expect(policy.evaluate('read_file', read('private/x'))).toBe('ask')
    expect(policy.evaluate('read_file', read('public/x'))).toBe('allow')
    expect(policy.rules).toHaveLength(1)
  })

  it('restrictions only ever tighten: an ask cannot loosen a deny, and a deny beats an allow', () => {
    const policy = new PermissionPolicy(
      [
        { tool: 'run_command', pattern: 'rm *', action: 'deny' },
        { tool: 'run_command', pattern: 'npm test', action: 'allow' },
      ],
      {
        restrictions: [
          { tool: '*', pattern: '*', action: 'ask' },
          { tool: 'run_command', pattern: 'npm test', action: 'deny' },
        ],
      },
    )
    expect(policy.evaluate('run_command', exec('rm -rf /'))).toBe('deny')
    expect(policy.evaluate('run_command', exec('npm test'))).toBe('deny')
    expect(policy.evaluate('read_file', read('a'))).toBe('ask')
    policy.allowAlways('run_command', exec('npm test'))
    expect(policy.evaluate('run_command', exec('npm test'))).toBe('deny')
  })
})

describe('narrowed policies (sub-agents)', () => {
  it('keeps the rules, adds restrictions, and sees the parent\'s "always" answers but not the reverse', () => {
    const parent = new PermissionPolicy([{ tool: 'run_command', pattern: 'npm test', action: 'allow' }])
    const child = parent.narrowed([{ tool: 'write_file', pattern: '*', action: 'deny' }])
    const write = { access: 'write' as const, subject: 'a.txt', paths: ['a.txt'] }
    expect(child.evaluate('run_command', { access: 'execute', subject: 'npm test' })).toBe('allow')
    expect(child.evaluate('write_file', write)).toBe('deny')
    expect(parent.evaluate('edit_file', write)).toBe('ask')
    parent.allowAlways('edit_file', write)
    expect(child.evaluate('edit_file', write)).toBe('allow')
    // An "always" never lifts a restriction's deny.
    parent.allowAlways('write_file', write)
    expect(child.evaluate('write_file', write)).toBe('deny')
    child.allowAlways('run_command', { access: 'execute', subject: 'ls' })
    expect(parent.evaluate('run_command', { access: 'execute', subject: 'ls' })).toBe('ask')
    expect(child.rules).toEqual(parent.rules)
  })
})
