/** Shared set-up of the AgentSession tests (SQLite and PostgreSQL): a workspace, a store, a scripted model. */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type AnyStore, openStore, type Store } from '@penguin-ai/store'
import { type AnswerStep, scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { openWorkspace, type Workspace } from '@penguin-ai/tools'
import { afterEach } from 'vitest'
import { AgentSession } from '../src/index.js'

/** A workspace holding notes.txt ("v1"), and a data folder for the database and checkpoints. */
export async function notesWorkspace(): Promise<{ dataDir: string; root: string; workspace: Workspace }> {
  const dataDir = await tempDir()
  const root = await tempDir('penguin-ws-')
  await writeFile(join(root, 'notes.txt'), 'v1\n')
  return { dataDir, root, workspace: await openWorkspace(root) }
}

/** Opens AgentSessions on `store` whose model answers `steps` (then "done"), every call allowed. */
export function sessionOpener(store: AnyStore, dataDir: string, workspace: Workspace) {
  return async (steps: AnswerStep[], choice: { continueLatest?: boolean; sessionRef?: string } = {}) => {
    const model = scriptedStream(steps, { whenExhausted: { text: 'done' } })
    const agent = await AgentSession.open({
      store,
      dataDir,
      choice,
      engine: {
        model: testModel(),
        workspace,
        autoApprove: true,
        stream: model.stream,
        systemPrompt: 'test',
      },
    })
    return { agent, requests: model.requests }
  }
}

/** A model step writing `content` to notes.txt. */
export const writeNotes = (content: string): AnswerStep => ({
  calls: [{ name: 'write_file', args: { path: 'notes.txt', content } }],
})

/**
 * SQLite sessions for a test file: `setup()` makes a notes workspace with a store in its data folder
 * and an opener on them; every store is closed after its test.
 */
export function useSessionStore() {
  const stores: Store[] = []
  afterEach(() => {
    for (const store of stores.splice(0)) store.close()
  })
  return async () => {
    const { dataDir, root, workspace } = await notesWorkspace()
    const store = openStore({ path: join(dataDir, 'penguin.db') })
    stores.push(store)
    return { store, root, open: sessionOpener(store, dataDir, workspace) }
  }
}
