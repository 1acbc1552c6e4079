import { z } from 'zod'
import { type Todo, TodoSchema } from '../details/schema.js'
import { defineTool } from '../tool.js'

export { type Todo, TodoSchema }

const parameters = z.object({
  todos: z.array(TodoSchema).describe('The complete list; it replaces the previous one'),
})

const MARK: Record<Todo['status'], string> = { completed: '[x]', in_progress: '[~]', pending: '[ ]' }

export const todoWriteTool = defineTool({
  name: 'todo_write',
  description:
    'Replace your visible task list. Send the full list each time; keep one item in_progress while working.',
  parameters,
  readOnly: true,
  permission: () => ({ access: 'read', subject: '' }),
  title: ({ todos }) => (todos.length === 1 ? '1 item' : `${todos.length} items`),
  async execute({ todos }) {
    return { output: renderTodos(todos), details: { kind: 'todo', summary: summariseTodos(todos), todos } }
  },
})

/** `1/3 done · now: Fix the parser`, or `cleared`. */
export function summariseTodos(todos: readonly Todo[]): string {
  if (todos.length === 0) return 'cleared'
  const done = todos.filter((todo) => todo.status === 'completed').length
  const current = todos.find((todo) => todo.status === 'in_progress')
  return `${done}/${todos.length} done${current ? ` · now: ${current.content}` : ''}`
}

export function renderTodos(todos: readonly Todo[]): string {
  if (todos.length === 0) return 'Todo list cleared.'
  const done = todos.filter((todo) => todo.status === 'completed').length
  const items = todos.map((todo) => `${MARK[todo.status]} ${todo.content}`)
  return [`Todos (${done}/${todos.length} completed):`, ...items].join('\n')
}
