import { ApiProvider, useAuth } from './api/api-context.js'
import { TokenForm } from './api/token-form.js'
import { SessionView } from './chat/session-view.js'
import { CheckpointsView } from './checkpoints/checkpoints-view.js'
import { McpView } from './mcp/mcp-view.js'
import { ProjectView } from './projects/project-view.js'
import { ProjectsPage } from './projects/projects-page.js'
import { Link, useLocationPath } from './router/navigation.js'
import { matchRoute, paths, type Route } from './router/routes.js'
import { SessionsPage } from './sessions/sessions-page.js'

export function App() {
  return (
    <ApiProvider>
      <Shell />
    </ApiProvider>
  )
}

function Shell() {
  const route = matchRoute(useLocationPath())
  const { needsToken, hasToken, forgetToken } = useAuth()
  const section = route.name === 'project' || route.name === 'projects' ? 'projects' : 'sessions'
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <Link to="/" className="brand" aria-label="Penguin home">
          <img src="/favicon.svg" alt="" width="24" height="24" /> Penguin
        </Link>
        <nav aria-label="Main">
          <Link
            to={paths.sessions()}
            className="nav-link"
            aria-current={section === 'sessions' ? 'page' : undefined}
          >
            Sessions
          </Link>
          <Link
            to={paths.projects()}
            className="nav-link"
            aria-current={section === 'projects' ? 'page' : undefined}
          >
            Projects
          </Link>
        </nav>
        {hasToken && !needsToken && (
          <button type="button" className="link sign-out" onClick={forgetToken}>
            Forget token
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {needsToken ? <TokenForm /> : <View route={route} />}
      </main>
    </>
  )
}

function View({ route }: { route: Route }) {
  switch (route.name) {
    case 'sessions':
      return <SessionsPage />
    case 'session':
      if (route.tab === 'mcp') return <McpView key={route.id} id={route.id} />
      return route.tab === 'chat' ? (
        <SessionView key={route.id} id={route.id} />
      ) : (
        <CheckpointsView key={route.id} id={route.id} />
      )
    case 'projects':
      return <ProjectsPage />
    case 'project':
      return <ProjectView key={route.id} id={route.id} tab={route.tab} taskId={route.taskId} />
    case 'not-found':
      return (
        <section>
          <h1>Not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <Link to="/">Back to sessions</Link>
          </p>
        </section>
      )
  }
}
