// Workspace checkpoints (@penguin-ai/checkpoints) on a 5,000-file repository in a temp directory.
// Target (sessions issue): an incremental snapshot after a turn that touched 10 files under 1 s.
//
// `checkpointFigures()` returns [name, ms] rows for a combined report; run this file directly
// (`node bench/src/sessions-checkpoint.mjs`, after building @penguin-ai/checkpoints) to print them.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { openShadowRepo } from '@penguin-ai/checkpoints'

export const FILES = 5_000
const CHANGED_PER_TURN = 10
const ROUNDS = Number(process.env.BENCH_RUNS ?? 5)

/** A TypeScript-ish source file of about 1.5 KB whose content depends on `seed`. */
function source(index, seed = 0) {
  const lines = [`// module ${index} (revision ${seed})`, `import { helper } from '../shared/helper.js'`, '']
  for (let fn = 0; fn < 12; fn++)
    lines.push(
      `export function f${index}_${fn}(value: number): number {`,
      `  return helper(value * ${fn + seed})`,
      '}',
    )
  return `${lines.join('\n')}\n`
}

/** 10 packages × 10 directories × 2 levels × 25 files = 5,000 files, plus ignored build output. */
function layout() {
  const paths = []
  for (let pkg = 0; pkg < 10; pkg++)
    for (let dir = 0; dir < 10; dir++)
      for (let sub = 0; sub < 2; sub++)
        for (let file = 0; file < 25; file++)
          paths.push(`packages/pkg-${pkg}/src/area-${dir}/${sub ? 'lib' : 'ui'}/file-${file}.ts`)
  return paths
}

async function writeAll(root, entries) {
  const dirs = new Set(entries.map(([rel]) => dirname(join(root, rel))))
  for (const dir of dirs) await mkdir(dir, { recursive: true })
  for (let start = 0; start < entries.length; start += 200)
    await Promise.all(
      entries.slice(start, start + 200).map(([rel, text]) => writeFile(join(root, rel), text)),
    )
}

function userGit(cwd, ...args) {
  execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args], {
    cwd,
    stdio: 'ignore',
  })
}

async function time(fn) {
  const started = process.hrtime.bigint()
  const result = await fn()
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Builds the repository, then times first snapshot, incremental snapshots, diff and restore. */
export async function checkpointFigures() {
  const base = await mkdtemp(join(tmpdir(), 'penguin-bench-checkpoint-'))
  const root = join(base, 'repo')
  try {
    const files = layout()
    await writeAll(root, [
      ...files.map((rel, index) => [rel, source(index)]),
      ['.gitignore', 'node_modules/\ndist/\n*.log\n'],
      ['packages/pkg-0/.gitignore', 'coverage/\n'],
      ...Array.from({ length: 200 }, (_, index) => [`node_modules/dep-${index}/index.js`, source(index)]),
      ...Array.from({ length: 50 }, (_, index) => [
        `packages/pkg-0/coverage/report-${index}.html`,
        '<html/>',
      ]),
    ])
    userGit(root, 'init', '-q')
    userGit(root, 'add', '-A')
    userGit(root, 'commit', '-q', '-m', 'initial')

    const repo = await openShadowRepo({ dataDir: join(base, 'data'), workspace: root })
    const first = await time(() => repo.snapshot('first'))
    const unchanged = await time(() => repo.snapshot('no change'))

    const incremental = []
    const diffs = []
    let previous = first.result
    let latest = first.result
    for (let round = 1; round <= ROUNDS; round++) {
      const touched = files.slice(round * 97, round * 97 + CHANGED_PER_TURN)
      await writeAll(
        root,
        touched.map((rel) => [rel, source(files.indexOf(rel), round)]),
      )
      diffs.push((await time(() => repo.diff(latest))).ms)
      const snap = await time(() => repo.snapshot(`turn ${round}`))
      incremental.push(snap.ms)
      previous = latest
      latest = snap.result
    }

    const restores = []
    for (let round = 0; round < ROUNDS; round++) {
      // Back one turn (10 files), then forward again: each restore rewrites 10 files.
      restores.push((await time(() => repo.restore(round % 2 === 0 ? previous : latest))).ms)
    }
    const prune = await time(() => repo.prune([previous, latest]))

    return [
      [`first snapshot, ${FILES} files`, first.ms],
      ['snapshot, nothing changed', unchanged.ms],
      [`incremental snapshot, ${CHANGED_PER_TURN} files changed (median)`, median(incremental)],
      [`diff against last snapshot, ${CHANGED_PER_TURN} files changed (median)`, median(diffs)],
      [`restore one checkpoint, ${CHANGED_PER_TURN} files (median)`, median(restores)],
      [`prune to 2 snapshots + gc`, prune.ms],
    ]
  } finally {
    await rm(base, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await checkpointFigures()
  const width = Math.max(...rows.map(([name]) => name.length))
  console.log(`\nworkspace checkpoints (target: incremental snapshot < 1000 ms)`)
  for (const [name, ms] of rows) console.log(`${name.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms`)
}
