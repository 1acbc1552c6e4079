import { readdir, readFile, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { type ChartPoint, costScoreChart } from './svg.js'

/** The fields of summary.json that reports compare across runs. */
export const RunSummaryHeadSchema = z.object({
  benchmark: z.string(),
  label: z.string(),
  score: z.number(),
  costUsd: z.number(),
})

export type RunSummaryHead = z.infer<typeof RunSummaryHeadSchema>

/**
 * The other runs of the same benchmark next to this one (sibling folders of the results folder
 * holding a summary.json), so a report can place this run among them.
 */
export async function siblingRuns(
  outDir: string,
  benchmark: string,
): Promise<Array<RunSummaryHead & { dir: string }>> {
  const parent = dirname(outDir)
  let entries: string[]
  try {
    entries = await readdir(parent)
  } catch {
    return []
  }
  const runs: Array<RunSummaryHead & { dir: string }> = []
  for (const entry of entries.sort()) {
    const dir = join(parent, entry)
    if (entry === basename(outDir)) continue
    try {
      const parsed = RunSummaryHeadSchema.safeParse(
        JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')),
      )
      if (parsed.success && parsed.data.benchmark === benchmark) runs.push({ ...parsed.data, dir })
    } catch {
      // Not a run folder.
    }
  }
  return runs
}

export interface ReportFiles {
  summary: string
  report: string
  chart: string
}

/** Writes summary.json, chart.svg (this run among its siblings) and report.md into the run folder. */
export async function writeReportFiles(
  outDir: string,
  head: RunSummaryHead,
  summary: object,
  title: string,
  scoreLabel: string,
  markdown: (chartFile: string, others: RunSummaryHead[]) => string,
): Promise<ReportFiles> {
  const files = {
    summary: join(outDir, 'summary.json'),
    report: join(outDir, 'report.md'),
    chart: join(outDir, 'chart.svg'),
  }
  const others = await siblingRuns(outDir, head.benchmark)
  const points: ChartPoint[] = [
    ...others.map((run) => ({ label: run.label, costUsd: run.costUsd, score: run.score })),
    { label: head.label, costUsd: head.costUsd, score: head.score, current: true },
  ]
  await writeFile(files.summary, `${JSON.stringify(summary, null, 2)}\n`)
  await writeFile(files.chart, costScoreChart(title, scoreLabel, points))
  await writeFile(files.report, markdown('chart.svg', others))
  return files
}
