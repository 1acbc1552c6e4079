/**
 * One queue per shadow repository: git takes `index.lock` for every add or checkout, so two
 * overlapping operations on the same repo from this process would make one of them fail.
 */
const queues = new Map<string, Promise<unknown>>()

export function serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve()
  const run = previous.then(task, task)
  const settled = run.catch(() => undefined)
  queues.set(key, settled)
  // Forget the queue once it drains so the map does not grow with every workspace ever opened.
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key)
  })
  return run
}
