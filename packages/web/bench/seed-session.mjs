// A long stored session, as the session recorder writes them: prompts, assistant text, and tool
// calls (reads, edits, commands) with their results. For the 500-message render test and bench.

/**
 * @param {import('@penguin-ai/store').Store} store
 * @param {string} workspace
 * @param {number} count
 */
export function seedSession(store, workspace, count = 500) {
  const session = store.createSession({
    workspace,
    title: `${count}-message session`,
    model: 'openai/gpt-4o',
  })
  const messages = [{ role: 'user', parts: [{ type: 'text', text: 'Review every module and tidy it up.' }] }]
  let call = 0
  while (messages.length < count - 1) {
    const left = count - 1 - messages.length
    if (messages.length % 40 === 0 && left >= 1) {
      messages.push({ role: 'user', parts: [{ type: 'text', text: `Carry on with module ${call}.` }] })
      continue
    }
    if (left < 2) {
      messages.push({ role: 'assistant', parts: [{ type: 'text', text: `Module ${call} looks fine.` }] })
      continue
    }
    call++
    const id = `call_${call}`
    const path = `src/module-${call}.ts`
    const kind = call % 3
    const [name, args, content] =
      kind === 0
        ? [
            'edit_file',
            { path, old_string: 'let x = 1', new_string: 'const x = 1' },
            `Edited ${path}: replaced 1 occurrence.`,
          ]
        : kind === 1
          ? ['read_file', { path }, fileText(call)]
          : [
              'run_command',
              { command: `npm test -- module-${call}` },
              `Exit code: 0\n[stdout]\n${'ok '.repeat(30)}`,
            ]
    messages.push(
      {
        role: 'assistant',
        parts: [
          {
            type: 'text',
            text: `Looking at module ${call}: I will ${name === 'read_file' ? 'read' : 'change'} ${path}.`,
          },
          { type: 'tool_call', id, name, arguments: JSON.stringify(args) },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: id, name, content, isError: false }] },
    )
  }
  messages.push({ role: 'assistant', parts: [{ type: 'text', text: 'Every module is reviewed.' }] })
  store.appendMessages(session.id, messages.slice(0, count))
  return session
}

function fileText(n) {
  const lines = []
  for (let i = 0; i < 60; i++) lines.push(`${i + 1}\texport function f${n}_${i}() { return ${n * i} }`)
  return lines.join('\n')
}
