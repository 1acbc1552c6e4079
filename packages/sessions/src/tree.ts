/** Sessions with their sub-agents' sessions: the tree `task` calls grew, as stored. */
import type { AsyncStore, Session } from '@penguin-ai/store'
import { oneLine } from '@penguin-ai/tools'

export interface SessionTreeNode {
  session: Session
  /** Sub-agents' sessions this session started, oldest first. */
  children: SessionTreeNode[]
}

/** Bounds the walk: sub-agents go two levels deep, so anything past this is damage, not a tree. */
const MAX_LEVELS = 8

/** The whole tree `session` belongs to, from its top-level session down. */
export async function sessionTree(
  store: Pick<AsyncStore, 'getSession' | 'listSessions'>,
  session: Session,
): Promise<SessionTreeNode> {
  let root = session
  for (let level = 0; root.parentSessionId && level < MAX_LEVELS; level++) {
    const parent = await store.getSession(root.parentSessionId)
    if (!parent) break
    root = parent
  }
  const grow = async (node: Session, level: number): Promise<SessionTreeNode> => ({
    session: node,
    children:
      level >= MAX_LEVELS
        ? []
        : await Promise.all(
            (await store.listSessions({ parentSessionId: node.id })).map((child) => grow(child, level + 1)),
          ),
  })
  return grow(root, 0)
}

/**
 * The tree as text, one session a line, children indented under their parent:
 * `ses_…  [agent] title · N messages`, the session being shown marked with `←`.
 */
export function renderSessionTree(tree: SessionTreeNode, current?: string): string {
  const lines: string[] = []
  const line = (node: SessionTreeNode, prefix: string, branch: string) => {
    const { session } = node
    const agent = session.agent ? `[${session.agent}] ` : ''
    const title = oneLine(session.title ?? '') || '(untitled)'
    const count = `${session.messageCount} message${session.messageCount === 1 ? '' : 's'}`
    const mark = session.id === current ? '  ←' : ''
    lines.push(`${prefix}${branch}${session.id}  ${agent}${title} · ${count}${mark}`)
  }
  const walk = (node: SessionTreeNode, prefix: string) => {
    node.children.forEach((child, index) => {
      const last = index === node.children.length - 1
      line(child, prefix, last ? '└── ' : '├── ')
      walk(child, `${prefix}${last ? '    ' : '│   '}`)
    })
  }
  line(tree, '', '')
  walk(tree, '')
  return lines.join('\n')
}

/** How many sessions the tree holds. */
export function treeSize(tree: SessionTreeNode): number {
  return 1 + tree.children.reduce((sum, child) => sum + treeSize(child), 0)
}
