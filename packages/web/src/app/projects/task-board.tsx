import type { Task, TaskStatus } from '@penguin-ai/sdk'
import { TaskCard } from './task-card.js'
import { MAIN_STATUSES, STATUS_LABEL, STATUS_ORDER } from './task-status.js'

interface Props {
  tasks: readonly Task[]
  activity: Record<number, string>
  selected: number | undefined
}

/** Tasks in columns by status (stacked on narrow screens). */
export function TaskBoard({ tasks, activity, selected }: Props) {
  const byStatus = new Map<TaskStatus, Task[]>()
  for (const task of tasks) {
    const list = byStatus.get(task.status) ?? []
    list.push(task)
    byStatus.set(task.status, list)
  }
  const columns = STATUS_ORDER.filter((status) => MAIN_STATUSES.has(status) || byStatus.has(status))
  return (
    <div className="board">
      {columns.map((status) => {
        const list = (byStatus.get(status) ?? []).sort((a, b) => b.priority - a.priority || a.id - b.id)
        const headingId = `column-${status}`
        return (
          <section
            key={status}
            className={`column column-${status}`}
            aria-labelledby={headingId}
            data-status={status}
          >
            <h2 id={headingId}>
              {STATUS_LABEL[status]} <span className="count">{list.length}</span>
            </h2>
            {list.length === 0 ? (
              <p className="muted small">None</p>
            ) : (
              <ul className="card-list">
                {list.map((task) => (
                  <li key={task.id}>
                    <TaskCard task={task} activity={activity[task.id]} selected={task.id === selected} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        )
      })}
    </div>
  )
}
