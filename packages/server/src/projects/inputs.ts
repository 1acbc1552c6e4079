/** What a plan or run request needs besides its body: the model and the project's workspace. */
import type { ResolvedModel } from '@penguin-ai/llm'
import type { Project } from '@penguin-ai/store'
import { HttpError, type ServerDeps } from '../deps.js'
import { workspaceUnderRoot } from '../runtime/workspace.js'

/** The model asked for, else the server's default; 422 when there is neither (or it cannot be used). */
export function requestedModel(deps: ServerDeps, requested: string | undefined): ResolvedModel {
  const id = requested ?? deps.config.defaultModel
  if (!id)
    throw new HttpError(
      422,
      'unprocessable',
      'no model: pass "model" or start the server with a default model',
      {
        reason: 'no_model',
      },
    )
  return deps.resolveModel(id)
}

/** Agents work in the project's workspace, which must exist under the server's root. */
export async function projectWorkspace(deps: ServerDeps, project: Project): Promise<string> {
  if (!project.workspace)
    throw new HttpError(
      422,
      'unprocessable',
      `project ${project.id} has no workspace; set one with PATCH first`,
      {
        reason: 'no_workspace',
      },
    )
  try {
    return await workspaceUnderRoot(deps.config.root, project.workspace)
  } catch (error) {
    if (error instanceof HttpError && error.status === 400)
      throw new HttpError(
        422,
        'unprocessable',
        `the workspace of project ${project.id} cannot be used: ${error.message}`,
        {
          reason: 'bad_workspace',
        },
      )
    throw error
  }
}
