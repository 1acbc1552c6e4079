import { execFileSync } from 'node:child_process'
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { applyPatchTool } from '../src/tools/apply-patch.js'
import { editFileTool } from '../src/tools/edit-file.js'
import { grepTool } from '../src/tools/grep.js'
import { readFileTool } from '../src/tools/read-file.js'
import { writeFileTool } from '../src/tools/write-file.js'
import { fixture } from './helpers.js'

// Each of these blocked forever before: open() on a FIFO waits for a writer (in libuv's shared
// thread pool), and /dev/zero never ends. Every tool must refuse before opening.

const fifos: string[] = []
const servers: Server[] = []

afterEach(async () => {
  // Should a tool have opened a FIFO after all, a writer coming and going lets it finish.
  for (const fifo of fifos.splice(0)) {
    const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined)
    await writer?.close()
  }
  for (const server of servers.splice(0)) server.close()
})

async function withFifo(files: Record<string, string> = {}) {
  const f = await fixture(files)
  const fifo = path.join(f.root, 'pipe')
  execFileSync('mkfifo', [fifo])
  fifos.push(fifo)
  return f
}

describe('pipes, sockets and devices are refused', () => {
  it('read_file refuses a FIFO', async () => {
    const f = await withFifo()
    const result = await f.run(readFileTool, { path: 'pipe' })
    expect(result.isError).toBe(true)
    expect(result.output).toMatch(/pipe is a named pipe \(FIFO\)/)
  })

  it('grep on a FIFO is refused, and a workspace-wide grep passes it by', async () => {
    const f = await withFifo({ 'a.txt': 'needle\n' })
    const direct = await f.run(grepTool, { pattern: 'needle', path: 'pipe' })
    expect(direct.isError).toBe(true)
    expect(direct.output).toMatch(/named pipe/)
    const wide = await f.run(grepTool, { pattern: 'needle' })
    expect(wide.isError).toBeFalsy()
    expect(wide.output).toBe('a.txt:1: needle')
  })

  it('write_file, edit_file and apply_patch refuse a FIFO', async () => {
    const f = await withFifo()
    const written = await f.run(writeFileTool, { path: 'pipe', content: 'x' })
    expect(written.isError).toBe(true)
    expect(written.output).toMatch(/named pipe/)
    const edited = await f.run(editFileTool, { path: 'pipe', old_string: 'a', new_string: 'b' })
    expect(edited.isError).toBe(true)
    expect(edited.output).toMatch(/named pipe/)
    const patched = await f.run(applyPatchTool, {
      patch: '--- a/pipe\n+++ b/pipe\n@@ -1 +1 @@\n-a\n+b\n',
    })
    expect(patched.isError).toBe(true)
    expect(patched.output).toMatch(/named pipe/)
  })

  it('a socket is refused by read_file and grep', async () => {
    const f = await fixture()
    const socket = path.join(f.root, 'sock')
    const server = createServer()
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(socket, resolve))
    for (const [tool, args] of [
      [readFileTool, { path: 'sock' }],
      [grepTool, { pattern: 'x', path: 'sock' }],
    ] as const) {
      const result = await f.run(tool, args)
      expect(result.isError).toBe(true)
      expect(result.output).toMatch(/sock is a socket/)
    }
  })

  it('a device in an allowed path is refused by grep and read_file', async () => {
    const f = await fixture({}, { allowedPaths: ['/dev'] })
    const grep = await f.run(grepTool, { pattern: 'x', path: '/dev/zero' })
    expect(grep.isError).toBe(true)
    expect(grep.output).toMatch(/character device/)
    const read = await f.run(readFileTool, { path: '/dev/zero' })
    expect(read.isError).toBe(true)
    expect(read.output).toMatch(/character device/)
  })
})
