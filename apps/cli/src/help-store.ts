// Help texts for the project store commands; plain strings so --help loads nothing heavy.

const STORE_OPTIONS = `Common options:
      --db FILE                project database (default $PENGUIN_DB, else $PENGUIN_HOME/penguin.db,
                               else ~/.local/share/penguin/penguin.db)
      --json                   machine-readable output
      --debug                  show stack traces for errors`

export const PROJECT_HELP = `Usage: penguin project <command> [options]

Commands:
  create <name> [--description TEXT] [--workspace DIR] [--budget-tokens N] [--budget-usd X]
                [--budget-seconds N]
                               create a project (workspace defaults to the current directory)
  list                         all projects with task counts and spending
  show <project>               a project and its tasks
  delete <project>             delete a project with its tasks and runs
  plan <project> --spec FILE|- [--dry-run] [-m MODEL] [--base-url URL]
                               turn a natural-language spec into a task graph
  run <project> [--parallel N] [--roles LIST] [--auto-approve] [--max-tasks N] [--ask] [-m MODEL] [--base-url URL]
                               agents work through the ready tasks in dependency order

<project> is a project's name or id.

${STORE_OPTIONS}

Exit codes: 0 ok, 1 failed (model error, a task failed, budget spent), 2 usage error
(unknown id, invalid transition, cycle, bad number), 130 interrupted.`

export const PROJECT_RUN_HELP = `Usage: penguin project run <project> [options]

Runs ready tasks one at a time (highest priority first, then oldest), each with a fresh agent in
the project's workspace. A task with a verify command is done only if the command exits 0, else
failed with its output kept; a task without one goes to review (done with --auto-approve).
Tasks left in progress by a crashed run are reset first. Budgets of tasks and the project are
enforced. The agent's writes and commands inside the workspace are allowed without asking
unless --ask is given (the sandbox and deny rules are the limits); at a terminal the run asks you
to confirm that first, unless --yes. Commands, verify commands included, run in the sandbox.

With --parallel N (or config "projects": {"parallel": N}) up to N independent ready tasks run at
once, each in its own git worktree (<repo>/.penguin-worktrees/task-<id>) on branch
penguin/task-<id> made from the branch checked out in the workspace (which must have no uncommitted
changes). A verified task's branch is merged back into that branch; a merge conflict sets the task
to blocked with the conflict shown, its branch and worktree kept. A crashed run's worktrees are
picked up again when its tasks run next.

--roles (or config "projects": {"roles": [...]}) chooses what each task goes through, in order:
plan (split a task that is too big into subtasks), build (implement; always on), test (add or
update tests when the acceptance criteria ask), review (check the diff against the acceptance
criteria before done; objections go back to build once, then the task goes to review). Each role
runs as the agent of the same name (penguin agents show NAME; your own agent files override them).

Options:
  -m, --model provider/model   model to use (or PENGUIN_MODEL / config "model")
      --base-url URL           OpenAI-compatible endpoint
      --auto-approve           tasks without a verify command go to done instead of review
      --max-tasks N            stop after N tasks
      --parallel N             run up to N tasks at once, each in its own git worktree
      --roles LIST             roles each task goes through: plan,build,test,review (default build)
      --max-iterations N       model calls per task (default 50)
      --ask                    ask before writes and commands (at a terminal) instead of allowing them
  -y, --yes                    start without the confirmation
      --sandbox MODE           workspace-write (default), read-only, or off
      --network                let sandboxed commands use the network
${STORE_OPTIONS}`

export const PROJECT_PLAN_HELP = `Usage: penguin project plan <project> --spec FILE|- [options]

Sends the spec to the model, which answers with a task graph through the submit_plan tool. The
plan is checked (unique keys, references that resolve, no cycles); an invalid plan goes back to the
model with the exact problems, at most 2 more times. The valid plan is stored in one transaction.

Options:
      --spec FILE|-            the specification (- reads stdin)
      --dry-run                print the plan without saving it
  -m, --model provider/model   model to use (or PENGUIN_MODEL / config "model")
      --base-url URL           OpenAI-compatible endpoint
${STORE_OPTIONS}`

export const TASK_HELP = `Usage: penguin task <command> [options]

Commands:
  add <project> "<title>" [--description TEXT] [--parent ID] [--depends-on ID,…] [--priority N]
                [--verify CMD] [--budget-tokens N] [--budget-usd X] [--criteria TEXT]…
  list <project> [--status S[,S…]] [--ready]
  show <id>                    a task with its dependencies, result and runs
  start <id>                   pending → in_progress (every dependency must be done)
  done <id> [--summary TEXT]   → done
  fail <id> [--reason TEXT]    → failed
  cancel <id>                  → cancelled
  reopen <id>                  done, failed, cancelled, review or blocked → pending
  deps <id> [--add ID,…] [--remove ID,…]
                               show or change what a task depends on (cycles are refused)
  graph <project> [--format mermaid|dot|json]

Statuses: pending, in_progress, review, done, failed, blocked, cancelled.

${STORE_OPTIONS}

Exit codes: 0 ok, 2 usage error (unknown id, invalid transition, cycle, bad number).`
