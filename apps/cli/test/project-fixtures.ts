/**
 * A git repository with a project `site` (SQLite file of its own) for the `penguin project run`
 * tests (cli-project-parallel, cli-project-roles), and the mock model's side of their task agents.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MockServer, MockTurn, RecordedRequest } from '@penguin-ai/mock-llm'
import { expect } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'

export const KEY = { OPENAI_API_KEY: 'sk-test-123' }
export const GIT_ID = ['-c', 'user.name=Test', '-c', 'user.email=test@localhost']

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' })
}

export async function setup() {
  const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
  const repo = await makeRepo({ 'README.md': '# tiny\n' })
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'add', '-A')
  git(repo, ...GIT_ID, 'commit', '-q', '-m', 'initial')
  const env = { PENGUIN_DB: db, ...KEY }
  const penguin = (...args: string[]) => runPenguin(args, { env, cwd: repo })
  expect((await penguin('project', 'create', 'site', '--workspace', repo)).code).toBe(0)
  return { db, repo, env, penguin }
}

export type Penguin = Awaited<ReturnType<typeof setup>>['penguin']

export function modelArgs(server: MockServer): string[] {
  return ['--model', 'openai/gpt-4o', '--base-url', server.url, '--sandbox', 'off']
}

export function userText(request: RecordedRequest): string {
  const user = request.body?.messages.find((message) => message.role === 'user')
  return typeof user?.content === 'string' ? user.content : ''
}

export function taskFile(request: RecordedRequest): string {
  return /# Task: Write (\S+)/.exec(userText(request))?.[1] ?? 'unknown.txt'
}

/** "Write NAME[ as TEXT]" → write_file NAME, then a summary once the tool result is back. */
export function worker(request: RecordedRequest): MockTurn {
  const messages = request.body?.messages ?? []
  const file = taskFile(request)
  const content = /# Task: Write \S+ as (.+)/.exec(userText(request))?.[1] ?? file
  if (messages.at(-1)?.role === 'tool') return { text: `Wrote ${file}.` }
  return { toolCalls: [{ name: 'write_file', arguments: { path: file, content: `${content}\n` } }] }
}

export async function addTask(penguin: Penguin, ...args: string[]): Promise<number> {
  const result = await penguin('task', 'add', 'site', ...args, '--json')
  expect(result.code, result.stderr).toBe(0)
  return (JSON.parse(result.stdout) as { id: number }).id
}

export async function tasks(penguin: Penguin) {
  return JSON.parse((await penguin('task', 'list', 'site', '--json')).stdout) as Array<{
    id: number
    status: string
    resultSummary: string | null
    failureReason: string | null
  }>
}

export function branches(repo: string): string[] {
  return git(repo, 'branch', '--format=%(refname:short)').split('\n').filter(Boolean)
}
