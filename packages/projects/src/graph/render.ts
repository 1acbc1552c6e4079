/** The fields of a task a graph drawing needs; a store `Task` fits. */
export interface GraphTask {
  id: number
  title: string
  status: string
  parentId: number | null
  dependsOn: readonly number[]
}

export type GraphFormat = 'mermaid' | 'dot' | 'json'
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot', 'json']

export interface GraphEdge {
  /** The task that must be done first (for `parent`: the subtask). */
  from: number
  to: number
  kind: 'depends_on' | 'parent'
}

/** Edges in execution order (dependency → dependent), then subtask → parent links. */
export function graphEdges(tasks: readonly GraphTask[]): GraphEdge[] {
  const ids = new Set(tasks.map((task) => task.id))
  const edges: GraphEdge[] = []
  for (const task of tasks) {
    for (const dep of task.dependsOn)
      if (ids.has(dep)) edges.push({ from: dep, to: task.id, kind: 'depends_on' })
  }
  for (const task of tasks) {
    if (task.parentId !== null && ids.has(task.parentId))
      edges.push({ from: task.id, to: task.parentId, kind: 'parent' })
  }
  return edges
}

export function renderGraph(tasks: readonly GraphTask[], format: GraphFormat): string {
  switch (format) {
    case 'mermaid':
      return renderMermaid(tasks)
    case 'dot':
      return renderDot(tasks)
    case 'json':
      return JSON.stringify(
        {
          nodes: tasks.map(({ id, title, status, parentId, dependsOn }) => ({
            id,
            title,
            status,
            parentId,
            dependsOn,
          })),
          edges: graphEdges(tasks),
        },
        null,
        2,
      )
  }
}

const STATUS_COLOURS: Record<string, string> = {
  pending: '#f5f5f5',
  in_progress: '#fff3cd',
  review: '#cfe2ff',
  done: '#d1e7dd',
  failed: '#f8d7da',
  blocked: '#ffe5d0',
  cancelled: '#e2e3e5',
}

/** A Mermaid flowchart: dependencies as arrows, subtasks as dotted links, status as node colour. */
export function renderMermaid(tasks: readonly GraphTask[]): string {
  const lines = ['flowchart TD']
  for (const task of tasks) {
    lines.push(
      `  t${task.id}["${mermaidText(`#${task.id} ${task.title}`)}<br/>${task.status}"]:::${task.status}`,
    )
  }
  for (const edge of graphEdges(tasks)) {
    lines.push(
      edge.kind === 'depends_on'
        ? `  t${edge.from} --> t${edge.to}`
        : `  t${edge.from} -.->|part of| t${edge.to}`,
    )
  }
  const used = new Set(tasks.map((task) => task.status))
  for (const [status, colour] of Object.entries(STATUS_COLOURS)) {
    if (used.has(status)) lines.push(`  classDef ${status} fill:${colour}`)
  }
  return lines.join('\n')
}

/** Graphviz DOT, same conventions as the Mermaid drawing. */
export function renderDot(tasks: readonly GraphTask[]): string {
  const lines = ['digraph project {', '  node [shape=box, style="rounded,filled"];']
  for (const task of tasks) {
    const colour = STATUS_COLOURS[task.status] ?? '#ffffff'
    lines.push(
      `  t${task.id} [label="${dotText(`#${task.id} ${task.title}`)}\\n${task.status}", fillcolor="${colour}"];`,
    )
  }
  for (const edge of graphEdges(tasks)) {
    lines.push(
      edge.kind === 'depends_on'
        ? `  t${edge.from} -> t${edge.to};`
        : `  t${edge.from} -> t${edge.to} [style=dashed, label="part of"];`,
    )
  }
  lines.push('}')
  return lines.join('\n')
}

/** Mermaid labels are HTML-ish and quoted: entity-encode what would end or break them. */
function mermaidText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[&"<>#]/g, (c) => `#${c.charCodeAt(0)};`)
}

function dotText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/["\\]/g, (c) => `\\${c}`)
}
