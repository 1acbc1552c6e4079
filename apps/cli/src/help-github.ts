// Help text for `penguin github`; a plain string so --help loads nothing heavy (no Octokit).

export const GITHUB_HELP = `Usage:
  penguin github run --repo OWNER/NAME --issue N [options]
      Read the issue and its comments, work on branch penguin/issue-N (in this checkout when it is
      OWNER/NAME, else in a fresh clone), run the agent until the verify command passes, commit,
      push, open a pull request "Closes #N" and comment on the issue with its link. On failure,
      comment what went wrong; the branch is kept (and pushed, when it has commits).
  penguin github review --repo OWNER/NAME --pr N [options]
      The review agent reads the pull request's diff and posts a review with line comments.

Options:
      --repo OWNER/NAME        the repository (required)
      --issue N / --pr N       the issue (run) or pull request (review)
      --token TOKEN            GitHub token (default: GITHUB_TOKEN). Never passed to the agent,
                               its commands or hooks, never logged or stored.
      --api-url URL            GitHub's REST API (default: GITHUB_API_URL, else https://api.github.com)
      --verify CMD             run: the command that must pass (default: config "testCommand",
                               else "npm test" when package.json has a test script)
      --attempts N             run: agent rounds before giving up on the verify command (default 3)
      --dir DIR                run: clone here instead of a new temporary directory
      --comment-id ID          run: report progress by editing this issue comment (the webhook's)
  -m, --model, --base-url, --api, --reasoning, --agent, -y/--yes, --sandbox, --network,
      --max-iterations, --db, --debug      as for penguin run

Exit codes: 0 pull request opened (or review posted), 1 the agent could not finish (verify still
failing, run failed: the issue says why), 2 usage or configuration error, 3 GitHub or git failed
(token, permissions, clone or push), 130 interrupted.`
