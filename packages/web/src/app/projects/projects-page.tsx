import { useClient } from '../api/api-context.js'
import { useResource } from '../hooks/use-resource.js'
import { Link } from '../router/navigation.js'
import { paths } from '../router/routes.js'
import { ErrorMessage } from '../ui/error-message.js'
import { formatCost, formatTokens, formatWhen } from '../ui/format.js'
import { NewProjectForm } from './new-project-form.js'

/** Every project, and a form to create one. */
export function ProjectsPage() {
  const client = useClient()
  const projects = useResource((signal) => client.projects.list({ signal }), [client])
  const sessions = useResource((signal) => client.sessions.list({ limit: 1 }, { signal }), [client])
  const items = projects.data?.items ?? []
  return (
    <section aria-labelledby="projects-title">
      <header className="view-header">
        <h1 id="projects-title">Projects</h1>
      </header>
      <ErrorMessage error={projects.error} />
      {(projects.data !== undefined || projects.error !== undefined) && (
        <NewProjectForm
          open={items.length === 0}
          defaultWorkspace={sessions.data?.items[0]?.workspace ?? ''}
        />
      )}
      {projects.loading && !projects.data ? (
        <p className="muted" role="status">
          Loading projects…
        </p>
      ) : items.length === 0 ? (
        <p className="empty">No projects yet.</p>
      ) : (
        <ul className="card-list" aria-label="Projects">
          {items.map((project) => (
            <li key={project.id}>
              <Link to={paths.project(project.id)} className="card">
                <span className="card-title">
                  {project.name} <span className={`badge project-${project.status}`}>{project.status}</span>
                </span>
                {project.description && <span className="muted small">{project.description}</span>}
                <span className="small meta-line">
                  {project.workspace && <code>{project.workspace}</code>}
                  <span>{formatTokens(project.tokens_used)} tokens</span>
                  <span>{formatCost(project.cost_usd)}</span>
                  <span>{formatWhen(project.updated_at)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
