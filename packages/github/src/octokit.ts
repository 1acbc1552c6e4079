/**
 * The only module that imports Octokit. It is loaded on a client's first request (see client.ts),
 * so commands that never talk to GitHub never load it.
 */
import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'

export const GitHubOctokit = Octokit.plugin(paginateRest)
export type GitHubOctokit = InstanceType<typeof GitHubOctokit>

export function createOctokit(options: { token: string; apiUrl: string; userAgent: string }): GitHubOctokit {
  return new GitHubOctokit({
    auth: options.token,
    baseUrl: options.apiUrl,
    userAgent: options.userAgent,
    // Octokit's default logs warnings (deprecations) on the console; the CLI decides what to print.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    request: { retries: 0 },
  })
}
