import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { absolutePattern, segmentRegex } from '../src/glob.js'
import {
  checkSandbox,
  detectRefusal,
  domainAllowed,
  expandPattern,
  NetworkDomainSchema,
  SandboxNetworkSchema,
  secretPaths,
  unavailableMessage,
} from '../src/index.js'
import { bwrapArguments, type MountPlan } from '../src/mounts.js'

describe('detectRefusal', () => {
  const context = { network: false as const, hidden: ['/home/u/.ssh', '/home/u/.npmrc'] }
  const failed = (stderr: string, stdout = '') => ({ exitCode: 1, stdout, stderr })

  test('a write on the read-only file system', () => {
    const refusal = detectRefusal(failed("touch: cannot touch '/etc/x': Read-only file system\n"), context)
    expect(refusal).toMatchObject({
      kinds: ['write'],
      evidence: ["touch: cannot touch '/etc/x': Read-only file system"],
    })
    expect(refusal?.summary).toMatch(/^writing where the sandbox allows no writes \(touch/)
  })

  test('the network, only when it is restricted', () => {
    const output = failed('curl: (6) Could not resolve host: example.com\n')
    expect(detectRefusal(output, context)?.kinds).toEqual(['network'])
    expect(detectRefusal(output, { ...context, network: true })).toBeUndefined()
    expect(detectRefusal(failed('Error: connect ECONNREFUSED 127.0.0.1:5432'), context)?.kinds).toEqual([
      'network',
    ])
  })

  test('a hidden path named in the output, not one that merely starts alike', () => {
    expect(
      detectRefusal(failed('cat: /home/u/.ssh/id_rsa: No such file or directory'), context)?.kinds,
    ).toEqual(['read'])
    expect(detectRefusal(failed('cat: /home/u/.sshx: No such file or directory'), context)).toBeUndefined()
    expect(detectRefusal(failed('cat: /home/u/.npmrc.bak: No such file'), context)).toBeUndefined()
  })

  test('nothing for a success or an ordinary failure, a timeout or an abort', () => {
    expect(
      detectRefusal({ exitCode: 0, stdout: '', stderr: 'Read-only file system' }, context),
    ).toBeUndefined()
    expect(detectRefusal(failed('AssertionError: expected 5, got 4'), context)).toBeUndefined()
    expect(
      detectRefusal({ exitCode: null, timedOut: true, stdout: '', stderr: 'Read-only file system' }, context),
    ).toBeUndefined()
  })

  test("a path that exists only in the host's /tmp (the sandbox has its own)", () => {
    const hostOnly = (path: string) => path.startsWith('/tmp/penguin-repo-')
    const line = 'bash: line 1: /tmp/penguin-repo-x/out.txt: No such file or directory'
    expect(detectRefusal(failed(line), { ...context, hostOnly })?.kinds).toEqual(['read'])
    expect(
      detectRefusal(failed('cat: /tmp/mine.txt: No such file or directory'), { ...context, hostOnly }),
    ).toBeUndefined()
  })

  test("bubblewrap's own failure is a refusal to start", () => {
    const refusal = detectRefusal(failed("bwrap: Can't chdir to /x: No such file or directory\n"), context)
    expect(refusal?.kinds).toEqual(['start'])
  })

  test('domains the proxy blocked are named even when the command carried on', () => {
    const refusal = detectRefusal(
      { exitCode: 0, stdout: '', stderr: '' },
      { network: ['registry.npmjs.org'], hidden: [], blockedDomains: ['evil.example', 'evil.example'] },
    )
    expect(refusal).toMatchObject({ kinds: ['network'], domains: ['evil.example'] })
    expect(refusal?.summary).toBe('network access to evil.example (not in sandbox.network)')
  })

  test('several kinds at once, at most three evidence lines', () => {
    const refusal = detectRefusal(
      failed(
        [
          'a: Read-only file system',
          'b: Read-only file system',
          'c: Read-only file system',
          'd: Network is unreachable',
        ].join('\n'),
      ),
      context,
    )
    expect(refusal?.kinds).toEqual(['write', 'network'])
    expect(refusal?.evidence).toHaveLength(3)
  })
})

describe('network settings', () => {
  test('domains: exact names and *.subdomains, case-insensitive', () => {
    expect(domainAllowed('registry.npmjs.org', ['registry.npmjs.org'])).toBe(true)
    expect(domainAllowed('REGISTRY.npmjs.org.', ['registry.npmjs.org'])).toBe(true)
    expect(domainAllowed('evil-registry.npmjs.org', ['registry.npmjs.org'])).toBe(false)
    expect(domainAllowed('api.github.com', ['*.github.com'])).toBe(true)
    expect(domainAllowed('github.com', ['*.github.com'])).toBe(false)
    expect(domainAllowed('notgithub.com', ['*.github.com'])).toBe(false)
  })

  test('the schema takes true, false or host names, nothing with a scheme, port or path', () => {
    expect(SandboxNetworkSchema.parse(['PyPI.org', '*.github.com'])).toEqual(['pypi.org', '*.github.com'])
    expect(SandboxNetworkSchema.parse(true)).toBe(true)
    for (const bad of ['https://pypi.org', 'pypi.org:443', 'pypi.org/simple', '*', 'a.*.com', ''])
      expect(NetworkDomainSchema.safeParse(bad).success, bad).toBe(false)
  })
})

describe('deny_read patterns', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
    dir = undefined
  })

  test('~, absolute and workspace-relative entries', () => {
    expect(absolutePattern('~/.kube', '/home/u', '/w')).toBe('/home/u/.kube')
    expect(absolutePattern('~', '/home/u', '/w')).toBe('/home/u')
    expect(absolutePattern('/etc/shadow', '/home/u', '/w')).toBe('/etc/shadow')
    expect(absolutePattern('secrets/*.pem', '/home/u', '/w')).toBe('/w/secrets/*.pem')
  })

  test('segment globs match dot files; classes work', () => {
    expect(segmentRegex('*.env').test('.env')).toBe(true)
    expect(segmentRegex('id_?sa').test('id_rsa')).toBe(true)
    expect(segmentRegex('[!a]*').test('abc')).toBe(false)
    expect(segmentRegex('a.b').test('axb')).toBe(false)
  })

  test('** walks down, * stays in one directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'penguin-glob-'))
    await mkdir(join(dir, 'a', 'b'), { recursive: true })
    await writeFile(join(dir, '.env'), '')
    await writeFile(join(dir, 'a', 'b', '.env'), '')
    await writeFile(join(dir, 'a', 'x.pem'), '')
    const deep = await expandPattern(join(dir, '**', '.env'))
    expect(deep).toEqual({ paths: [join(dir, '.env'), join(dir, 'a', 'b', '.env')], truncated: false })
    expect((await expandPattern(join(dir, '*', '*.pem'))).paths).toEqual([join(dir, 'a', 'x.pem')])
  })
})

describe('bubblewrap arguments', () => {
  const plan: MountPlan = {
    writableRoots: true,
    tmp: '/scratch/tmp',
    empty: '/scratch/empty',
    roots: ['/w'],
    writable: ['/home/u/.cache/penguin/npm/x'],
    protection: { writable: [], pinned: ['/w/.git'], readOnly: ['/w/.git/hooks'], missing: ['/w/.penguin'] },
    hiddenDirs: ['/home/u/.ssh'],
    hiddenFiles: ['/home/u/.npmrc'],
    network: 'none',
  }

  test('in order: all read-only, private /tmp, writable roots, protected parts, writable dirs, secrets hidden on top', () => {
    const args = bwrapArguments(plan, { argv: ['bash', '-c', 'ls'], cwd: '/w', newSession: false })
    const at = (...items: string[]) => {
      const index = args.findIndex((_, i) => items.every((item, k) => args[i + k] === item))
      expect(index, items.join(' ')).toBeGreaterThanOrEqual(0)
      return index
    }
    expect(args).toEqual(expect.arrayContaining(['--unshare-pid', '--unshare-net', '--die-with-parent']))
    expect(args).not.toContain('--new-session')
    at('--cap-drop', 'ALL')
    const order = [
      at('--ro-bind', '/', '/'),
      at('--bind', '/scratch/tmp', '/tmp'),
      at('--bind', '/w', '/w'),
      at('--bind', '/w/.git', '/w/.git'),
      at('--ro-bind', '/w/.git/hooks', '/w/.git/hooks'),
      at('--ro-bind', '/scratch/empty', '/w/.penguin'),
      at('--bind', '/home/u/.cache/penguin/npm/x', '/home/u/.cache/penguin/npm/x'),
      at('--tmpfs', '/home/u/.ssh', '--remount-ro', '/home/u/.ssh'),
      at('--ro-bind', '/dev/null', '/home/u/.npmrc'),
      at('--chdir', '/w', '--', 'bash', '-c', 'ls'),
    ]
    expect([...order].sort((a, b) => a - b)).toEqual(order)
  })

  test('read-only roots; network on; a new session for callers that share a terminal', () => {
    const args = bwrapArguments(
      { ...plan, writableRoots: false, network: 'host' },
      { argv: ['true'], cwd: '/w', newSession: true },
    )
    expect(args.join(' ')).toContain('--ro-bind /w /w')
    expect(args).not.toContain('/w/.git/hooks')
    // Writable directories stay writable in read-only mode.
    expect(args.join(' ')).toContain('--bind /home/u/.cache/penguin/npm/x /home/u/.cache/penguin/npm/x')
    expect(args).not.toContain('--unshare-net')
    expect(args).toContain('--new-session')
  })
})

describe('availability', () => {
  test('no bubblewrap on PATH: the cause and both ways forward', async () => {
    const support = await checkSandbox({ env: { PATH: '/nonexistent' } })
    expect(support.available).toBe(false)
    if (support.available) return
    const message = unavailableMessage(support)
    expect(message).toMatch(/bubblewrap \(bwrap\) is not installed/)
    expect(message).toMatch(/apt-get install bubblewrap/)
    expect(message).toMatch(/--sandbox off/)
  })

  test("Penguin's code cache is hidden where the CLI keeps it", () => {
    expect(secretPaths({ HOME: '/home/u' })).toContain('/home/u/.cache/penguin/code-cache')
    const moved = secretPaths({ HOME: '/home/u', XDG_CACHE_HOME: '/c', PENGUIN_CODE_CACHE: '/cc' })
    expect(moved).toContain('/c/penguin/code-cache')
    expect(moved).toContain('/cc')
    expect(secretPaths({ HOME: '/home/u', PENGUIN_CODE_CACHE: 'off' })).not.toContain('off')
  })

  test('the secret paths named by the sandbox issue are all there', () => {
    const paths = secretPaths({ HOME: '/home/u', PENGUIN_DB: '/data/p.db' })
    for (const path of [
      '/home/u/.ssh',
      '/home/u/.aws',
      '/home/u/.config/gcloud',
      '/home/u/.netrc',
      '/home/u/.npmrc',
      '/home/u/.config/penguin',
      '/home/u/.local/share/penguin',
      '/data/p.db',
      '/data/p.db-wal',
    ])
      expect(paths).toContain(path)
  })
})
