import type { Task } from '@penguin-ai/sdk'
import { memo } from 'react'
import { Link } from '../router/navigation.js'
import { paths } from '../router/routes.js'
import { formatCost, formatTokens } from '../ui/format.js'

interface Props {
  task: Task
  activity: string | undefined
  selected: boolean
}

export const TaskCard = memo(function TaskCard({ task, activity, selected }: Props) {
  return (
    <Link
      to={paths.task(task.project_id, task.id)}
      className={`card task-card status-${task.status}`}
      aria-current={selected ? 'true' : undefined}
      data-task-id={task.id}
    >
      <span className="card-title">
        <span className="muted">#{task.id}</span> {task.title}
      </span>
      <span className="small meta-line">
        {task.priority !== 0 && <span>priority {task.priority}</span>}
        {task.depends_on.length > 0 && (
          <span>after {task.depends_on.map((dep) => `#${dep}`).join(', ')}</span>
        )}
        {task.tokens_used > 0 && (
          <span>
            {formatTokens(task.tokens_used)} tokens · {formatCost(task.cost_usd)}
          </span>
        )}
      </span>
      {activity && <span className="activity small">{activity}</span>}
    </Link>
  )
})
