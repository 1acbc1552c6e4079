/**
 * A custom tool as a file: put it in a trusted workspace's `.penguin/tools/` (or in
 * `~/.config/penguin/tools/` for every workspace) and the model can call `word_count`.
 * `penguin-ai` and `zod` resolve to Penguin's own copies when the folder has none installed.
 */
import { readFile } from 'node:fs/promises'
import { defineTool } from 'penguin-ai'
import { z } from 'zod'

export default defineTool({
  name: 'word_count',
  description: 'Counts the words and lines of a text file in the workspace.',
  parameters: z.object({ path: z.string().describe('The file, relative to the workspace root') }),
  readOnly: true,
  // Judged like read_file: permission rules on paths apply to it.
  permission: (args: { path: string }) => ({ access: 'read', subject: args.path }),
  title: (args: { path: string }) => args.path,
  async execute({ path }, ctx) {
    const text = await readFile(await ctx.workspace.resolve(path), 'utf8')
    const words = text.split(/\s+/).filter(Boolean).length
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
    return {
      output: `${path}: ${words} words, ${lines} lines`,
      details: { kind: 'generic', summary: `${path} — ${words} words` },
    }
  },
})
