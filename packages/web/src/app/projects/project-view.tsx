import { Link } from '../router/navigation.js'
import { paths } from '../router/routes.js'
import { ErrorMessage } from '../ui/error-message.js'
import { formatCost, formatTokens } from '../ui/format.js'
import { PlanPanel } from './plan-form.js'
import { RunForm } from './run-form.js'
import { TaskBoard } from './task-board.js'
import { TaskDetails } from './task-details.js'
import { TaskGraph } from './task-graph.js'
import { useProject } from './use-project.js'

interface Props {
  id: number
  tab: 'board' | 'graph'
  taskId: number | undefined
}

/** A project: its board or graph (live), a task's details, planning from a spec and starting a run. */
export function ProjectView({ id, tab, taskId }: Props) {
  const { project, tasks, loading, error, live, refresh, runStarted } = useProject(id)
  const task = taskId === undefined ? undefined : tasks.find((candidate) => candidate.id === taskId)
  return (
    <section aria-labelledby="project-title">
      <header className="view-header">
        <div className="title-row">
          <h1 id="project-title">{project?.name ?? `Project ${id}`}</h1>
          {project && (
            <p className="usage">
              <span className="visually-hidden">Project usage: </span>
              <span>{formatTokens(project.tokens_used)} tokens</span>
              <span>{formatCost(project.cost_usd)}</span>
              {project.budget_usd !== null && (
                <span className="muted">of {formatCost(project.budget_usd)}</span>
              )}
            </p>
          )}
        </div>
        {project?.description && <p className="muted">{project.description}</p>}
        {project?.workspace && (
          <p className="muted small">
            <code>{project.workspace}</code>
          </p>
        )}
        <nav className="tabs" aria-label="Project views">
          <Link
            to={paths.project(id)}
            className="nav-link"
            aria-current={tab === 'board' ? 'page' : undefined}
          >
            Board
          </Link>
          <Link to={paths.graph(id)} className="nav-link" aria-current={tab === 'graph' ? 'page' : undefined}>
            Graph
          </Link>
        </nav>
      </header>
      <ErrorMessage error={error} />
      <div className="actions">
        <PlanPanel projectId={id} empty={loading ? undefined : tasks.length === 0} onPlanned={refresh} />
        <div className="panel">
          <RunForm projectId={id} running={live.running} onStarted={runStarted} />
          {live.message && (
            <p className="small" role="status">
              {live.message}
            </p>
          )}
        </div>
      </div>
      {loading ? (
        <p className="muted" role="status">
          Loading tasks…
        </p>
      ) : (
        <div className={task ? 'split wide-left' : undefined}>
          {tab === 'board' ? (
            <TaskBoard tasks={tasks} activity={live.activity} selected={taskId} />
          ) : (
            <TaskGraph tasks={tasks} selected={taskId} />
          )}
          {task && (
            <TaskDetails
              key={task.id}
              task={task}
              verify={live.verify[task.id]}
              activity={live.activity[task.id]}
              onChanged={refresh}
            />
          )}
        </div>
      )}
      {taskId !== undefined && !loading && !task && (
        <p className="error">Task #{taskId} is not in this project.</p>
      )}
    </section>
  )
}
