// Every failed attempt of a test is printed with a marker, also when a retry then passes:
// `pnpm test:stress` collects the marked lines from every package's log and prints them at the end,
// so a test that failed once on a busy machine shows in the CI log even though the run passed.
import { beforeEach, onTestFailed } from 'vitest'

beforeEach(() => {
  onTestFailed(({ task }) => {
    const errors = task.result?.errors ?? []
    const error = errors[errors.length - 1]
    const where = [task.file?.name, task.name].filter(Boolean).join(' > ')
    const why = (error?.message ?? 'failed').split('\n')[0]
    console.error(`[failed attempt] ${where} (attempt ${(task.result?.retryCount ?? 0) + 1}): ${why}`)
  })
})
