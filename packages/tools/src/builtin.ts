import type { Tool } from './tool.js'
import { applyPatchTool } from './tools/apply-patch.js'
import { editFileTool } from './tools/edit-file.js'
import { grepTool } from './tools/grep.js'
import { listFilesTool } from './tools/list-files.js'
import { readFileTool } from './tools/read-file.js'
import { runCommandTool } from './tools/run-command.js'
import { todoWriteTool } from './tools/todo-write.js'
import { writeFileTool } from './tools/write-file.js'

/** The built-in tools, in the order they are offered to the model. A fresh array on every call. */
export function builtinTools(): Tool[] {
  return [
    readFileTool,
    writeFileTool,
    editFileTool,
    applyPatchTool,
    listFilesTool,
    grepTool,
    runCommandTool,
    todoWriteTool,
  ]
}
