import type { PermissionSubject } from './tool.js'
import { subjectPath, type Workspace } from './workspace.js'

/** The permission subject of a tool working on one path: the path, also listed in `paths`. */
export function pathPermission(
  access: PermissionSubject['access'],
  input: string,
  workspace?: Workspace,
): PermissionSubject {
  const subject = subjectPath(input, workspace)
  return { access, subject, paths: [subject] }
}

/**
 * The subject as the rules must judge it: each path also as the real path it resolves to, so a
 * rule denying `secrets/**` also denies `link/key` when `link` is a symlink to `secrets` (the
 * strictest answer over all paths wins). Paths outside the workspace are left as they are: the tool
 * refuses them itself.
 */
export async function resolvePermissionSubject(
  subject: PermissionSubject,
  workspace: Workspace,
): Promise<PermissionSubject> {
  if (!subject.paths?.length) return subject
  const paths = new Set(subject.paths)
  for (const path of subject.paths) {
    try {
      paths.add(workspace.relative(await workspace.resolve(path)))
    } catch {
      // outside the workspace, or unresolvable: confinement answers for it
    }
  }
  return paths.size === subject.paths.length ? subject : { ...subject, paths: [...paths] }
}
