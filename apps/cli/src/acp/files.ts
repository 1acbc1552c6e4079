/**
 * The editor's buffers as Penguin's file port: when the ACP client offers `fs.readTextFile` /
 * `fs.writeTextFile`, the file tools read and write through `fs/read_text_file` /
 * `fs/write_text_file`, so the model sees unsaved changes and its edits land in the editor. The
 * tools still confine paths, ask permission and check file types on the disk before calling it.
 */
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type * as acp from '@agentclientprotocol/sdk'
import { type FileAccess, type FileAccessOptions, localFiles } from '@penguin-ai/tools'

/** How long one file request may take before the tool reports the editor did not answer. */
export const EDITOR_FILE_TIMEOUT_MS = 60_000

export interface EditorFileClient {
  readTextFile(request: acp.ReadTextFileRequest): Promise<acp.ReadTextFileResponse>
  writeTextFile(request: acp.WriteTextFileRequest): Promise<acp.WriteTextFileResponse>
}

/**
 * The port for one session, or undefined when the client offers neither method (the disk is then
 * used as always). A client offering only one gets the disk for the other.
 */
export function editorFiles(
  capabilities: acp.FileSystemCapabilities | undefined,
  client: EditorFileClient,
  sessionId: () => string,
): FileAccess | undefined {
  if (!capabilities?.readTextFile && !capabilities?.writeTextFile) return undefined
  return {
    label: 'the editor',
    readText: capabilities.readTextFile
      ? async (file, options) => {
          const response = await bounded(
            client.readTextFile({ sessionId: sessionId(), path: file }),
            options,
            'fs/read_text_file',
          )
          if (typeof response?.content !== 'string')
            throw new Error('the editor answered fs/read_text_file without text content')
          return response.content
        }
      : localFiles.readText,
    writeText: capabilities.writeTextFile
      ? async (file, content, options) => {
          // write_file promises new folders; an editor saving a new buffer may not create them.
          await mkdir(dirname(file), { recursive: true })
          await bounded(
            client.writeTextFile({ sessionId: sessionId(), path: file, content }),
            options,
            'fs/write_text_file',
          )
        }
      : localFiles.writeText,
  }
}

/** The request's answer, or an error once the call is cancelled or the editor takes too long. */
function bounded<T>(request: Promise<T>, { signal }: FileAccessOptions, method: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(() => reject(new Error(`the editor did not answer ${method} within 60 s`))),
      EDITOR_FILE_TIMEOUT_MS,
    )
    const onAbort = () => finish(() => reject(new Error('the run was cancelled')))
    const finish = (settle: () => void) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      settle()
    }
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    request.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    )
  })
}
