/** Shared set-up of the AgentSession tests (SQLite and PostgreSQL): a workspace, a scripted model. */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AnyStore } from '@penguin-ai/store'
import { type AnswerStep, scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { openWorkspace, type Workspace } from '@penguin-ai/tools'
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
