// Help text for `penguin agents`; a plain string so --help loads nothing heavy.

export const AGENTS_HELP = `Usage:
  penguin agents list [--json] [--cwd DIR]        the agents this workspace can use
  penguin agents show NAME [--json] [--cwd DIR]   one agent: tools, model, permissions, prompt
  penguin run --agent NAME "task"                 run as that agent (chat: /agent NAME)

Built-in agents: build (the default), plan (read-only; writes a plan with todo_write),
explore (read-only, searches fast), test (writes and runs tests), review (read-only).

Agent files are Markdown with YAML front matter (Claude Code's format) — name, description,
tools (a list or "Read, Grep"), model — plus Penguin's permissions, reasoning, max_iterations;
the body is the agent's system prompt. Read from ~/.config/penguin/agents/ and, in a workspace
you trusted (penguin trust), .penguin/agents/, .claude/agents/ and .opencode/agent/. A file with
a problem is reported with its path and field, and skipped. See docs/agents.md.`
