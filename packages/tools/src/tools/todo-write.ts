import { z } from 'zod'
import { defineTool } from '../tool.js'

export const TodoSchema = z.object({
  content: z.string().min(1).describe('What to do, imperative'),
  status: z.enum(['pending', 'in_progress', 'completed']),
  id: z.string().optional(),
})

export type Todo = z.infer<typeof TodoSchema>

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
  async execute({ todos }) {
    return { output: renderTodos(todos), details: { todos } }
  },
})

export function renderTodos(todos: readonly Todo[]): string {
  if (todos.length === 0) return 'Todo list cleared.'
  const done = todos.filter((todo) => todo.status === 'completed').length
  const items = todos.map((todo) => `${MARK[todo.status]} ${todo.content}`)
  return [`Todos (${done}/${todos.length} completed):`, ...items].join('\n')
}
