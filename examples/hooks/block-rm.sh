#!/bin/bash
# A PreToolUse hook exactly as Claude Code's docs write one: it reads the event as JSON on stdin
# (jq), and exit code 2 blocks the call; what it prints on stderr is what the model reads.
cmd=$(jq -r '.tool_input.command // empty')
if [[ "$cmd" == rm* ]]; then
  echo "Blocked: rm commands are not allowed" >&2
  exit 2
fi
exit 0
