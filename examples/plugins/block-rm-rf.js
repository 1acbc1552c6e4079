/**
 * A plugin that refuses `rm -rf` (and `rm -fr`, `rm -r -f`, `rm --recursive --force`) in any
 * command the agent runs, whatever the permission rules or --yes say. Enable it in your config:
 *   { "plugins": ["/path/to/block-rm-rf.js"] }
 * or copy it into ~/.config/penguin/plugins/ (every workspace) or a trusted .penguin/plugins/.
 */

/** Whether a command line removes recursively and by force. */
export function isRmRf(command) {
  for (const part of command.split(/&&|\|\||[;|&\n]/)) {
    const words = part.trim().split(/\s+/)
    const at = words.findIndex((word) => word === 'rm' || word.endsWith('/rm'))
    if (at === -1) continue
    const flags = words.slice(at + 1).filter((word) => word.startsWith('-'))
    const recursive = flags.some((flag) => flag === '--recursive' || /^-[a-zA-Z]*[rR]/.test(flag))
    const force = flags.some((flag) => flag === '--force' || /^-[a-zA-Z]*f/.test(flag))
    if (recursive && force) return true
  }
  return false
}

export default {
  name: 'block-rm-rf',
  'tool.before'({ tool, args }) {
    if (tool !== 'run_command' || typeof args?.command !== 'string') return
    if (isRmRf(args.command)) {
      return {
        block: 'rm -rf is blocked by the block-rm-rf plugin. Delete the specific files you mean instead.',
      }
    }
  },
}
