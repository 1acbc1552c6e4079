// Help texts for sessions and checkpoints; plain strings so --help loads nothing heavy.

const COMMON = `Common options:
      --db FILE                database (default $PENGUIN_DB, else $PENGUIN_HOME/penguin.db,
                               else ~/.local/share/penguin/penguin.db)
      --json                   machine-readable output
      --debug                  show stack traces for errors`

export const SESSIONS_HELP = `Usage: penguin sessions <command> [options]

Every run and chat is a session, saved as it goes. Resume one with penguin run --continue (the
latest of this workspace) or --session ID; in chat use /sessions, /resume ID, /new.

Commands:
  list [--workspace DIR] [--limit N]      newest first (sub-agents' sessions appear under show)
  show <id>                               the conversation as Markdown, with the tree of sessions
                                          its task calls started (sub-agents)
  export <id> [--format markdown|json] [--output FILE]
  delete <id>                             the session, its messages and checkpoints (and its
                                          sub-agents' sessions)
  fork <id> [--at CHECKPOINT] [--yes] [--keep-files]
                                          a new session branching from that checkpoint (the
                                          original is untouched); workspace files go back to the
                                          checkpoint too unless --keep-files

<id> is a session id or a unique prefix of one. show and export redact secrets that reached the
conversation: values of credential-named variables (*_API_KEY, *_TOKEN, *SECRET*, *PASSWORD*),
key-shaped strings and passwords in URLs become [REDACTED].

${COMMON}`

export const CHECKPOINT_HELP = `Usage: penguin checkpoint <command> [options]

Before each turn that can change files Penguin snapshots the workspace into a shadow git
repository beside its database (your own .git is never touched; .gitignore is honoured; huge
files are skipped), linked to that point of the conversation.

Commands:
  list [--session ID] [--cwd DIR]   checkpoints of a session (default: latest session here)
  diff <id>                         what changed in the workspace since the checkpoint
  restore <id> [--yes]              files and conversation go back to the checkpoint; lists what
                                    will change and asks first (or needs --yes); the restore is
                                    itself undoable (it prints the checkpoint to restore to undo)

${COMMON}`
