import type { Task } from '@penguin-ai/sdk'
import { useMemo } from 'react'
import { navigate } from '../router/navigation.js'
import { paths } from '../router/routes.js'
import { DEFAULT_LAYOUT, layoutGraph } from './graph-layout.js'
import { STATUS_LABEL } from './task-status.js'

const MAX_TITLE = 26

/** The dependency graph as SVG: columns by depth, arrows from a dependency to what waits on it. */
export function TaskGraph({ tasks, selected }: { tasks: readonly Task[]; selected: number | undefined }) {
  const layout = useMemo(() => layoutGraph(tasks), [tasks])
  const { nodeWidth, nodeHeight } = DEFAULT_LAYOUT
  if (tasks.length === 0) return <p className="empty">No tasks yet: plan the project from a spec.</p>
  return (
    <div className="graph-scroll">
      <svg
        className="graph"
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        aria-label={`Dependency graph of ${tasks.length} tasks`}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="arrowhead" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <path key={`${edge.from}-${edge.to}`} d={edge.path} className="edge" markerEnd="url(#arrow)" />
        ))}
        {layout.nodes.map(({ task, x, y }) => {
          const href = paths.task(task.project_id, task.id)
          const title = task.title.length > MAX_TITLE ? `${task.title.slice(0, MAX_TITLE - 1)}…` : task.title
          return (
            <a
              key={task.id}
              href={href}
              className={`node status-${task.status}${task.id === selected ? ' selected' : ''}`}
              aria-label={`#${task.id} ${task.title}: ${STATUS_LABEL[task.status]}`}
              onClick={(event) => {
                if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return
                event.preventDefault()
                navigate(href)
              }}
            >
              <title>{`#${task.id} ${task.title} (${STATUS_LABEL[task.status]})`}</title>
              <rect x={x} y={y} width={nodeWidth} height={nodeHeight} rx="8" />
              <text x={x + 10} y={y + 22} className="node-title">
                #{task.id} {title}
              </text>
              <text x={x + 10} y={y + 42} className="node-status">
                {STATUS_LABEL[task.status]}
              </text>
            </a>
          )
        })}
      </svg>
    </div>
  )
}
