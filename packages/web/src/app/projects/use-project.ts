import type { ServerEvent } from '@penguin-ai/sdk'
import { useCallback, useEffect, useMemo, useReducer } from 'react'
import { useClient } from '../api/api-context.js'
import { useResource } from '../hooks/use-resource.js'
import { useServerEvents } from '../hooks/use-server-events.js'
import { initialProjectLive, mergeTasks, type ProjectLive, projectLiveReducer } from './project-live.js'

type LiveAction = { type: 'event'; event: ServerEvent } | { type: 'run-started'; runId: string }

/**
 * A project and its tasks, kept live: project events update tasks at once (from the records they
 * carry) and trigger a refetch shortly after, so the board follows agents as they work.
 */
export function useProject(id: number) {
  const client = useClient()
  const project = useResource((signal) => client.projects.get(id, { signal }), [client, id])
  const tasks = useResource((signal) => client.projects.tasks(id, {}, { signal }), [client, id])
  const reducer = useCallback(
    (state: ProjectLive, action: LiveAction): ProjectLive =>
      action.type === 'event'
        ? projectLiveReducer(state, action.event, id)
        : { ...state, running: true, runId: action.runId, message: 'Run requested…' },
    [id],
  )
  const [live, dispatch] = useReducer(reducer, undefined, initialProjectLive)

  const { reload: reloadTasks } = tasks
  const { reload: reloadProject } = project
  const refresh = useCallback(() => {
    reloadTasks()
    reloadProject()
  }, [reloadTasks, reloadProject])

  // A resync means events were missed: the stored state is the truth again.
  const streamError = useServerEvents({}, (event) =>
    event.data.type === 'resync' ? refresh() : dispatch({ type: 'event', event }),
  )

  // Refetch a moment after changes (events come in bursts), so the board shows the stored truth.
  useEffect(() => {
    if (live.changes === 0) return
    const timer = setTimeout(refresh, 300)
    return () => clearTimeout(timer)
  }, [live.changes, refresh])

  const merged = useMemo(() => mergeTasks(tasks.data?.items ?? [], live.tasks), [tasks.data, live.tasks])
  const runStarted = useCallback((runId: string) => dispatch({ type: 'run-started', runId }), [])

  return {
    project: project.data,
    tasks: merged,
    loading: (project.loading && !project.data) || (tasks.loading && !tasks.data),
    error: project.error ?? tasks.error ?? streamError,
    live,
    refresh,
    runStarted,
  }
}
