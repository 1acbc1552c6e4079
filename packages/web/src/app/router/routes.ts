/** The UI's routes: pure parsing of a pathname, and the paths to each view. */
export type Route =
  | { name: 'sessions' }
  | { name: 'session'; id: string; tab: 'chat' | 'checkpoints' | 'mcp' }
  | { name: 'projects' }
  | { name: 'project'; id: number; tab: 'board' | 'graph'; taskId?: number }
  | { name: 'not-found'; path: string }

export function matchRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(safeDecode)
  const [head, id, sub, subId] = parts
  if (parts.length === 0) return { name: 'sessions' }
  if (head === 'sessions') {
    if (id === undefined) return { name: 'sessions' }
    if (parts.length === 2) return { name: 'session', id, tab: 'chat' }
    if (parts.length === 3 && sub === 'checkpoints') return { name: 'session', id, tab: 'checkpoints' }
    if (parts.length === 3 && sub === 'mcp') return { name: 'session', id, tab: 'mcp' }
  }
  if (head === 'projects') {
    if (id === undefined) return { name: 'projects' }
    const projectId = wholeNumber(id)
    if (projectId !== undefined) {
      if (parts.length === 2) return { name: 'project', id: projectId, tab: 'board' }
      if (parts.length === 3 && sub === 'graph') return { name: 'project', id: projectId, tab: 'graph' }
      const taskId = subId === undefined ? undefined : wholeNumber(subId)
      if (parts.length === 4 && sub === 'tasks' && taskId !== undefined)
        return { name: 'project', id: projectId, tab: 'board', taskId }
    }
  }
  return { name: 'not-found', path: pathname }
}

export const paths = {
  sessions: () => '/sessions',
  session: (id: string) => `/sessions/${encodeURIComponent(id)}`,
  checkpoints: (id: string) => `/sessions/${encodeURIComponent(id)}/checkpoints`,
  mcp: (id: string) => `/sessions/${encodeURIComponent(id)}/mcp`,
  projects: () => '/projects',
  project: (id: number) => `/projects/${id}`,
  graph: (id: number) => `/projects/${id}/graph`,
  task: (projectId: number, taskId: number) => `/projects/${projectId}/tasks/${taskId}`,
}

function wholeNumber(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}
