/** One SWE-style instance of Penguin's own suite: a small repository with a real bug. */
export interface SuiteCase {
  /** Repository name: the repo is `penguin-bench/<name>`. */
  name: string
  language: 'javascript' | 'python'
  /** The issue, as a user would file it. */
  problem: string
  /** The repository at its base commit (visible tests included). */
  files: Record<string, string>
  /** Source files as the known fix leaves them: becomes the gold `patch`. */
  fix: Record<string, string>
  /** Test files added or replaced by the hidden tests: becomes `test_patch`. */
  hiddenTests: Record<string, string>
  /** `test_cmd`, with `{test}` standing for one FAIL_TO_PASS / PASS_TO_PASS entry. */
  testCmd: string
  failToPass: string[]
  passToPass: string[]
}
