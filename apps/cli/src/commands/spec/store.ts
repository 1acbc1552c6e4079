/** The commands over the database: sessions, checkpoint, project, task, stats, token, db. */
import {
  BASE_URL,
  CWD,
  DATABASE,
  DB,
  DEBUG,
  HELP,
  JSON_OUT,
  MAX_ITERATIONS,
  MODEL,
  NETWORK,
  SANDBOX,
  STORE,
  YES,
} from './flags.js'
import type { CommandSpec } from './types.js'

const STORE_EXIT = 'Exit codes: 0 ok, 2 usage error (unknown id, invalid transition, cycle, bad number).'

const EXPORT = [
  {
    name: 'format',
    short: 'f',
    value: 'FORMAT',
    values: ['markdown', 'json'],
    help: 'markdown (default) or json',
  },
  { name: 'output', short: 'o', value: 'FILE', help: 'write to FILE instead of stdout' },
] as const

export const SESSIONS = {
  name: 'sessions',
  aliases: ['session'],
  args: '…',
  summary: 'saved sessions: list, show, export, delete, fork',
  about: `Every run and chat is a session, saved as it goes. Resume one with penguin run --continue (the
latest of this workspace) or --session ID; in chat use /sessions, /resume ID, /new.`,
  subcommands: [
    {
      name: 'list',
      aliases: ['ls'],
      args: '[--workspace DIR] [--limit N]',
      summary: "newest first (sub-agents' sessions appear under show)",
      flags: [
        { name: 'workspace', value: 'DIR', help: 'only the sessions of this workspace' },
        { name: 'limit', value: 'N', help: 'at most N sessions' },
      ],
    },
    {
      name: 'show',
      args: '<id>',
      summary: 'the conversation as Markdown, with the tree of sessions its task calls started (sub-agents)',
      flags: EXPORT,
    },
    {
      name: 'export',
      args: '<id> [--format markdown|json] [--output FILE]',
      summary: 'the conversation as Markdown or JSON',
      flags: EXPORT,
    },
    {
      name: 'delete',
      aliases: ['rm'],
      args: '<id>',
      summary: "the session, its messages and checkpoints (and its sub-agents' sessions)",
    },
    {
      name: 'fork',
      args: '<id> [--at CHECKPOINT] [--yes] [--keep-files]',
      summary:
        'a new session branching from that checkpoint (the original is untouched); workspace files go back to the checkpoint too unless --keep-files',
      flags: [
        { name: 'at', value: 'CHECKPOINT', help: 'the checkpoint to branch from (default: the latest)' },
        { name: 'yes', short: 'y', help: 'do not ask before changing files' },
        { name: 'keep-files', help: 'leave the workspace files as they are' },
      ],
    },
  ],
  flags: STORE,
  footer: `<id> is a session id or a unique prefix of one. show and export redact secrets that reached the
conversation: values of credential-named variables (*_API_KEY, *_TOKEN, *SECRET*, *PASSWORD*),
key-shaped strings and passwords in URLs become [REDACTED].`,
  load: async () => (await import('../sessions.js')).sessionsCommand,
} as const satisfies CommandSpec

export const CHECKPOINT = {
  name: 'checkpoint',
  aliases: ['checkpoints'],
  args: '…',
  summary: 'workspace snapshots: list, diff, restore (undo)',
  about: `Before each turn that can change files Penguin snapshots the workspace into a shadow git
repository beside its database (your own .git is never touched; .gitignore is honoured; huge
files are skipped), linked to that point of the conversation.`,
  subcommands: [
    {
      name: 'list',
      aliases: ['ls'],
      args: '[--session ID] [--cwd DIR]',
      summary: 'checkpoints of a session (default: latest session here)',
      flags: [{ name: 'session', short: 's', value: 'ID', help: 'the session (id or unique prefix)' }, CWD],
    },
    { name: 'diff', args: '<id>', summary: 'what changed in the workspace since the checkpoint' },
    {
      name: 'restore',
      args: '<id> [--yes]',
      summary:
        'files and conversation go back to the checkpoint; lists what will change and asks first (or needs --yes); the restore is itself undoable (it prints the checkpoint to restore to undo)',
      flags: [YES],
    },
  ],
  flags: STORE,
  load: async () => (await import('../checkpoint.js')).checkpointCommand,
} as const satisfies CommandSpec

const BUDGETS = [
  { name: 'budget-tokens', value: 'N', help: 'tokens it may spend' },
  { name: 'budget-usd', value: 'X', help: 'dollars it may spend' },
] as const

export const PROJECT = {
  name: 'project',
  args: '…',
  summary: 'projects: create, list, show, delete, plan from a spec, run',
  subcommands: [
    {
      name: 'create',
      args: '<name> [--description TEXT] [--workspace DIR] [--budget-tokens N] [--budget-usd X] [--budget-seconds N]',
      summary: 'create a project (workspace defaults to the current directory)',
      flags: [
        { name: 'description', short: 'd', value: 'TEXT', help: 'what the project is about' },
        { name: 'workspace', value: 'DIR', help: 'its workspace (default: the current directory)' },
        ...BUDGETS,
        { name: 'budget-seconds', value: 'N', help: 'seconds it may run' },
      ],
    },
    { name: 'list', aliases: ['ls'], summary: 'all projects with task counts and spending' },
    { name: 'show', args: '<project>', summary: 'a project and its tasks' },
    {
      name: 'delete',
      aliases: ['rm'],
      args: '<project> [--yes]',
      summary: 'delete a project with its tasks and runs',
      flags: [YES],
    },
    {
      name: 'plan',
      args: '<project> --spec FILE|- [--dry-run] [-m MODEL] [--base-url URL]',
      summary: 'turn a natural-language spec into a task graph',
      about: `Sends the spec to the model, which answers with a task graph through the submit_plan tool. The
plan is checked (unique keys, references that resolve, no cycles); an invalid plan goes back to the
model with the exact problems, at most 2 more times. The valid plan is stored in one transaction.`,
      flags: [
        { name: 'spec', value: 'FILE|-', help: 'the specification (- reads stdin)' },
        { name: 'dry-run', help: 'print the plan without saving it' },
        MODEL,
        BASE_URL,
      ],
    },
    {
      name: 'run',
      args: '<project> [--parallel N] [--roles LIST] [--auto-approve] [--max-tasks N] [--ask] [-m MODEL] [--base-url URL]',
      summary: 'agents work through the ready tasks in dependency order',
      about: `Runs ready tasks one at a time (highest priority first, then oldest), each with a fresh agent in
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
runs as the agent of the same name (penguin agents show NAME; your own agent files override them).`,
      flags: [
        MODEL,
        BASE_URL,
        { name: 'auto-approve', help: 'tasks without a verify command go to done instead of review' },
        { name: 'max-tasks', value: 'N', help: 'stop after N tasks' },
        { name: 'parallel', value: 'N', help: 'run up to N tasks at once, each in its own git worktree' },
        {
          name: 'roles',
          value: 'LIST',
          help: 'roles each task goes through: plan,build,test,review (default build)',
        },
        { ...MAX_ITERATIONS, help: 'model calls per task (default 50)' },
        { name: 'ask', help: 'ask before writes and commands (at a terminal) instead of allowing them' },
        { name: 'yes', short: 'y', help: 'start without the confirmation' },
        SANDBOX,
        NETWORK,
      ],
    },
  ],
  flags: STORE,
  footer: `<project> is a project's name or id.

Exit codes: 0 ok, 1 failed (model error, a task failed, budget spent), 2 usage error
(unknown id, invalid transition, cycle, bad number), 130 interrupted.`,
  load: async () => (await import('../project.js')).projectCommand,
} as const satisfies CommandSpec

/** What a status change may record. */
const MOVE = [
  { name: 'summary', value: 'TEXT', help: 'what was done (stored as the result)' },
  { name: 'reason', value: 'TEXT', help: 'why it failed or was blocked' },
] as const

export const TASK = {
  name: 'task',
  args: '…',
  summary: 'tasks of a project: add, list, show, start, done, deps, graph',
  subcommands: [
    {
      name: 'add',
      args: '<project> "<title>" [--description TEXT] [--parent ID] [--depends-on ID,…] [--priority N] [--verify CMD] [--budget-tokens N] [--budget-usd X] [--criteria TEXT]…',
      summary: 'a new task',
      flags: [
        { name: 'description', short: 'd', value: 'TEXT', help: 'what is to be done' },
        { name: 'parent', value: 'ID', help: 'the task it is a part of' },
        { name: 'depends-on', value: 'ID,…', help: 'tasks that must be done first' },
        { name: 'priority', value: 'N', help: 'higher runs first (default 0)' },
        { name: 'verify', value: 'CMD', help: 'the command that must pass for the task to be done' },
        ...BUDGETS,
        { name: 'criteria', value: 'TEXT', multiple: true, help: 'an acceptance criterion (repeatable)' },
      ],
    },
    {
      name: 'list',
      aliases: ['ls'],
      args: '<project> [--status S[,S…]] [--ready]',
      summary: 'the tasks of a project',
      flags: [
        { name: 'status', value: 'S[,S…]', help: 'only tasks with these statuses' },
        { name: 'ready', help: 'only tasks that can start now' },
      ],
    },
    { name: 'show', args: '<id>', summary: 'a task with its dependencies, result and runs' },
    {
      name: 'start',
      args: '<id>',
      summary: 'pending → in_progress (every dependency must be done)',
      flags: MOVE,
    },
    { name: 'done', args: '<id> [--summary TEXT]', summary: '→ done', flags: MOVE },
    { name: 'fail', args: '<id> [--reason TEXT]', summary: '→ failed', flags: MOVE },
    { name: 'cancel', args: '<id>', summary: '→ cancelled', flags: MOVE },
    {
      name: 'reopen',
      args: '<id>',
      summary: 'done, failed, cancelled, review or blocked → pending',
      flags: MOVE,
    },
    { name: 'block', args: '<id>', summary: '→ blocked', flags: MOVE },
    { name: 'review', args: '<id>', summary: '→ review', flags: MOVE },
    {
      name: 'deps',
      args: '<id> [--add ID,…] [--remove ID,…]',
      summary: 'show or change what a task depends on (cycles are refused)',
      flags: [
        { name: 'add', value: 'ID,…', multiple: true, help: 'depend on these tasks too' },
        { name: 'remove', value: 'ID,…', multiple: true, help: 'no longer depend on these' },
      ],
    },
    {
      name: 'graph',
      args: '<project> [--format mermaid|dot|json]',
      summary: 'the task graph',
      flags: [
        {
          name: 'format',
          short: 'f',
          value: 'FORMAT',
          values: ['mermaid', 'dot', 'json'],
          help: 'mermaid (default), dot or json',
        },
      ],
    },
  ],
  flags: STORE,
  footer: `Statuses: pending, in_progress, review, done, failed, blocked, cancelled.

${STORE_EXIT}`,
  load: async () => (await import('../task.js')).taskCommand,
} as const satisfies CommandSpec

export const STATS = {
  name: 'stats',
  args: '[--since 7d]',
  summary: 'runs, tokens and cost by model and by project',
  about: `What Penguin has spent: runs, tokens and cost in total, by model and by project, from the database
(project task runs and planning, and every session's prompts; nothing is counted twice). Input
counts every input token; CACHE READ and CACHE WRITE are the parts of it read from and written to
the provider's prompt cache (priced at the catalogue's cache prices).`,
  flags: [
    {
      name: 'since',
      value: 'DURATION|TIME',
      help: 'only from then on: 30m, 24h, 7d, 2w, or an ISO-8601 date or time (2025-01-31, 2025-01-31T09:00:00Z); default: everything',
    },
    DATABASE,
    ...STORE,
  ],
  load: async () => (await import('../stats.js')).statsCommand,
} as const satisfies CommandSpec

export const TOKEN = {
  name: 'token',
  aliases: ['tokens'],
  args: '…',
  summary: 'API tokens for the server: create, list, revoke',
  about: 'API tokens for "penguin serve" (stored hashed; the token itself is shown once).',
  subcommands: [
    {
      name: 'create',
      args: '--name N',
      summary: 'create a token and print it (once)',
      flags: [{ name: 'name', value: 'N', help: "the token's name" }],
    },
    {
      name: 'list',
      aliases: ['ls'],
      args: '[--json]',
      summary: 'every token: id, name, prefix, created, last used, revoked',
    },
    { name: 'revoke', args: 'ID|NAME', summary: 'revoke a token; requests with it get 401 from then on' },
  ],
  flags: [DATABASE, ...STORE],
  load: async () => (await import('../token.js')).tokenCommand,
} as const satisfies CommandSpec

export const DB_COMMAND = {
  name: 'db',
  args: 'migrate|copy …',
  summary: 'the database: apply schema changes; copy SQLite into PostgreSQL',
  about: 'The database: SQLite (a file, the default) or PostgreSQL (for several servers sharing one).',
  subcommands: [
    {
      name: 'migrate',
      summary:
        'apply pending schema changes (every open applies them too; run this before starting several servers on a new Penguin version)',
    },
    {
      name: 'copy',
      args: '--from sqlite:PATH --to postgres://…',
      summary:
        'copy an installation into an EMPTY PostgreSQL database: every row, ids kept, in one transaction; the row counts of both sides are compared before it commits. The SQLite file is not changed.',
    },
  ],
  flags: [
    DATABASE,
    DB,
    { name: 'from', value: 'sqlite:PATH', help: 'copy: the SQLite file to read (default: the --db file)' },
    {
      name: 'to',
      value: 'URL',
      help: 'copy: the PostgreSQL database to fill (default PENGUIN_DATABASE_URL)',
    },
    JSON_OUT,
    DEBUG,
    HELP,
  ],
  footer: `Exit codes: 0 done, 2 bad usage or a database this command refuses (not empty, newer, damaged),
1 the database could not be reached or failed.`,
  load: async () => (await import('../db.js')).dbCommand,
} as const satisfies CommandSpec
