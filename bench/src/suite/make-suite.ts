import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { BenchError, messageOf } from '../errors.js'
import { gitOk } from '../swebench/git.js'
import { JS_CASES } from './cases-js.js'
import { PY_CASES } from './cases-py.js'
import type { SuiteCase } from './types.js'

/** Every case of Penguin's own SWE-style suite. */
export const SUITE_CASES: readonly SuiteCase[] = [...JS_CASES, ...PY_CASES]

export const SUITE_OWNER = 'penguin-bench'

export interface MadeSuite {
  dir: string
  /** `<dir>/instances.jsonl` */
  instancesPath: string
  /** `<dir>/repos`, holding `penguin-bench__<name>` mirrors */
  reposDir: string
  instanceIds: string[]
}

/**
 * Fixed identity and dates, and no user or system git config, so every machine produces the same
 * commits — and so the same `base_commit` hashes.
 */
const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_AUTHOR_NAME: 'Penguin Bench',
  GIT_AUTHOR_EMAIL: 'bench@penguin.invalid',
  GIT_COMMITTER_NAME: 'Penguin Bench',
  GIT_COMMITTER_EMAIL: 'bench@penguin.invalid',
  GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
}

export const instanceId = (testCase: SuiteCase) => `${SUITE_OWNER}__${testCase.name}-1`

/**
 * Writes the suite into `dir`: one git repository per case under `repos/` at its base commit, and
 * `instances.jsonl` in the official SWE-bench format (plus `test_cmd`), gold `patch` and hidden
 * `test_patch` included. Re-running replaces what an earlier run made in `dir`.
 */
export async function makeSuite(dir: string, cases: readonly SuiteCase[] = SUITE_CASES): Promise<MadeSuite> {
  const root = resolve(dir)
  const reposDir = join(root, 'repos')
  const lines: string[] = []
  try {
    await mkdir(reposDir, { recursive: true })
    for (const testCase of cases) lines.push(JSON.stringify(await makeCase(reposDir, testCase)))
    await writeFile(join(root, 'instances.jsonl'), `${lines.join('\n')}\n`)
  } catch (error) {
    if (error instanceof BenchError) throw error
    throw new BenchError('environment', `Cannot create the suite in ${root}: ${messageOf(error)}`)
  }
  return {
    dir: root,
    instancesPath: join(root, 'instances.jsonl'),
    reposDir,
    instanceIds: cases.map(instanceId),
  }
}

async function makeCase(reposDir: string, testCase: SuiteCase): Promise<Record<string, unknown>> {
  const repo = join(reposDir, `${SUITE_OWNER}__${testCase.name}`)
  await rm(repo, { recursive: true, force: true })
  await mkdir(repo, { recursive: true })
  const run = (args: string[]) => gitOk(args, repo, { env: GIT_ENV })
  await run(['-c', 'init.defaultBranch=main', 'init', '--quiet'])
  await writeFiles(repo, testCase.files)
  await run(['add', '--all'])
  await run(['-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', `${testCase.name}: initial version`])
  const baseCommit = (await run(['rev-parse', 'HEAD'])).trim()
  const patch = await diffOf(repo, testCase.fix, run)
  const testPatch = await diffOf(repo, testCase.hiddenTests, run)
  return {
    instance_id: instanceId(testCase),
    repo: `${SUITE_OWNER}/${testCase.name}`,
    base_commit: baseCommit,
    problem_statement: testCase.problem,
    hints_text: '',
    created_at: '2025-01-01T00:00:00Z',
    version: '1.0',
    environment_setup_commit: baseCommit,
    patch,
    test_patch: testPatch,
    // JSON-encoded lists, as in the official dataset.
    FAIL_TO_PASS: JSON.stringify(testCase.failToPass),
    PASS_TO_PASS: JSON.stringify(testCase.passToPass),
    test_cmd: testCase.testCmd,
    language: testCase.language,
  }
}

/** The diff that `files` would make to the base commit; the repository is left clean. */
async function diffOf(repo: string, files: Record<string, string>, run: (args: string[]) => Promise<string>) {
  await writeFiles(repo, files)
  await run(['add', '--all'])
  const diff = await run(['diff', '--cached', '--no-color', '--no-ext-diff', 'HEAD'])
  await run(['reset', '--quiet', '--hard', 'HEAD'])
  await run(['clean', '--quiet', '-fdx'])
  return diff
}

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), content)
  }
}
