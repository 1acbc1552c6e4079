/** The agents every workspace has. A file with the same name replaces one. */
import type { AgentDefinition } from './schema.js'

const READ_ONLY = ['read_file', 'list_files', 'grep', 'memory_search']

export const BUILTIN_AGENTS: readonly AgentDefinition[] = Object.freeze([
  {
    name: 'build',
    description: 'The default agent: reads, edits, runs commands and tests to get a task done.',
    prompt:
      'You are the build agent: implement the task end to end, then verify it by running the relevant tests or build.',
    origin: 'builtin',
  },
  {
    name: 'plan',
    description:
      'Read-only: studies the code and writes a step-by-step plan with todo_write; changes nothing.',
    tools: [...READ_ONLY, 'todo_write'],
    prompt: [
      'You are the plan agent. You cannot change files or run commands: you only read and plan.',
      'Study the relevant code, then record the plan with todo_write: small, ordered, verifiable steps,',
      'each naming the files involved. Finish with a short summary of the approach and its risks.',
    ].join('\n'),
    origin: 'builtin',
  },
  {
    name: 'explore',
    description: 'Read-only and fast: searches a codebase and answers where and how things are done.',
    tools: READ_ONLY,
    prompt: [
      'You are the explore agent: find things in the codebase quickly. You cannot change anything.',
      'Prefer grep and list_files over reading whole files; read only the parts that answer the question.',
      'Answer concisely with file paths and line numbers.',
    ].join('\n'),
    origin: 'builtin',
  },
  {
    name: 'test',
    description: 'Writes and runs tests for the behaviour asked about, and reports what passes and fails.',
    prompt: [
      'You are the test agent: write or update tests for the behaviour asked about, following the',
      "project's existing test style, run them, and report what passes and fails. Change production",
      'code only when the task asks for it.',
    ].join('\n'),
    origin: 'builtin',
  },
  {
    name: 'review',
    description: 'Read-only: reviews a change (the diff) against its acceptance criteria.',
    tools: READ_ONLY,
    prompt: [
      'You are the review agent. You cannot change anything. Review the change against the acceptance',
      'criteria you are given: correctness, missing tests, edge cases, style. Cite file:line for each',
      'finding and end with a verdict: "approve" or "changes requested" with the list of what to fix.',
    ].join('\n'),
    origin: 'builtin',
  },
])

export const DEFAULT_AGENT = 'build'
