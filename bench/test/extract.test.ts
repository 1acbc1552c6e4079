import { describe, expect, test } from 'vitest'
import { buildProgram, extractCompletion, type HumanEvalProblem, indentBody } from '../src/index.js'

const problem: HumanEvalProblem = {
  task_id: 'Test/0',
  prompt: 'def add(a, b):\n    """Adds two numbers."""\n',
  entry_point: 'add',
  canonical_solution: '    return a + b\n',
  test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n',
}

describe('extracting code from a reply', () => {
  test('a fenced whole function is a module', () => {
    const reply = 'Here you go:\n\n```python\ndef add(a, b):\n    return a + b\n```\nHope it helps.'
    expect(extractCompletion(reply, 'add')).toEqual({
      kind: 'module',
      code: 'def add(a, b):\n    return a + b\n',
    })
  })

  test('the block defining the entry point wins over others', () => {
    const reply =
      '```python\nprint(add(1, 2))\n```\n\n```py\nimport math\n\ndef add(a, b):\n    return a + b\n```'
    const completion = extractCompletion(reply, 'add')
    expect(completion.kind).toBe('module')
    expect(completion.code).toContain('import math')
  })

  test('a bare body keeps its indentation', () => {
    expect(extractCompletion('    return a + b\n', 'add')).toEqual({
      kind: 'body',
      code: '    return a + b\n',
    })
  })

  test('a body flush left is indented as a whole', () => {
    expect(extractCompletion('```\ntotal = a + b\nreturn total\n```', 'add')).toEqual({
      kind: 'body',
      code: '    total = a + b\n    return total\n',
    })
  })

  test('a body whose first line lost its indentation is repaired', () => {
    expect(indentBody('total = a + b\n    return total')).toBe('    total = a + b\n    return total\n')
    expect(indentBody('for x in a:\n        b += x\n    return b')).toBe(
      '    for x in a:\n        b += x\n    return b\n',
    )
  })

  test('an unterminated fence still yields its code', () => {
    expect(extractCompletion('```python\ndef add(a, b):\n    return a + b\n', 'add').kind).toBe('module')
  })

  test('example usage under a __main__ guard is dropped', () => {
    const reply =
      '```python\ndef add(a, b):\n    return a + b\n\nif __name__ == "__main__":\n    print(add(input(), 1))\n```'
    expect(extractCompletion(reply, 'add').code).not.toContain('__main__')
  })

  test('non-Python blocks are ignored', () => {
    const reply = '```bash\npython3 x.py\n```\n```python\ndef add(a, b):\n    return a + b\n```'
    expect(extractCompletion(reply, 'add').code).toContain('def add')
  })
})

describe('the judged program', () => {
  test('body: prompt + body + tests + check call', () => {
    const program = buildProgram(problem, { kind: 'body', code: '    return a + b\n' })
    expect(program).toBe(`${problem.prompt}    return a + b\n\n\n${problem.test}\n\ncheck(add)\n`)
  })

  test('module: the prompt first (imports, helpers), then the solution replacing the stub', () => {
    const program = buildProgram(problem, { kind: 'module', code: 'def add(a, b):\n    return a + b\n' })
    expect(program.indexOf(problem.prompt)).toBe(0)
    expect(program).toContain('\ndef add(a, b):\n    return a + b\n')
    expect(program.trimEnd().endsWith('check(add)')).toBe(true)
  })
})
