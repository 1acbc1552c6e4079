import type { PullFileInfo, ReviewCommentInput } from './client.js'

/**
 * The line numbers a review comment may name on each side of a file's patch (GitHub's rule).
 * tooling/fake-github's diff.ts has its own copy on purpose: the fake judges these comments the
 * way GitHub would, independently of this code (one shared helper would hide a bug from the tests).
 */
export function commentableLines(patch: string | undefined): { LEFT: Set<number>; RIGHT: Set<number> } {
  const sides = { LEFT: new Set<number>(), RIGHT: new Set<number>() }
  if (!patch) return sides
  let left = 0
  let right = 0
  for (const line of patch.split('\n')) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line)
    if (hunk) {
      left = Number(hunk[1])
      right = Number(hunk[2])
    } else if (line.startsWith('+')) sides.RIGHT.add(right++)
    else if (line.startsWith('-')) sides.LEFT.add(left++)
    else if (line.startsWith(' ')) {
      sides.LEFT.add(left++)
      sides.RIGHT.add(right++)
    }
  }
  return sides
}

/**
 * Keeps the comments GitHub would accept (the file is in the pull request and the line is part of
 * its diff on that side; a range stays within it) and lists the others, so one bad line from the
 * model never costs the whole review a 422.
 */
export function placeReviewComments(
  files: readonly PullFileInfo[],
  comments: readonly ReviewCommentInput[],
): { placed: ReviewCommentInput[]; dropped: Array<ReviewCommentInput & { reason: string }> } {
  const lines = new Map(files.map((file) => [file.filename, commentableLines(file.patch)]))
  const placed: ReviewCommentInput[] = []
  const dropped: Array<ReviewCommentInput & { reason: string }> = []
  for (const comment of comments) {
    const sides = lines.get(comment.path)
    if (!sides) {
      dropped.push({ ...comment, reason: 'the file is not part of the pull request' })
      continue
    }
    const side = sides[comment.side]
    if (!side.has(comment.line)) {
      dropped.push({ ...comment, reason: `line ${comment.line} is not part of the diff` })
      continue
    }
    if (
      comment.startLine !== undefined &&
      (comment.startLine >= comment.line || !side.has(comment.startLine))
    ) {
      const { startLine: _, ...single } = comment
      placed.push(single)
      continue
    }
    placed.push(comment)
  }
  return { placed, dropped }
}
