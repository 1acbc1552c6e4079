/**
 * "Always, in this workspace": the permission rule an "always" answer made, written to the
 * workspace's `.penguin/config.json` so later sessions there allow it too. Workspace allow rules
 * widen what the agent may do, so Penguin applies them only in workspaces the user trusts; the
 * answer says so when this one is not (yet).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { workspaceConfigPath } from '@penguin-ai/config'
import type { PermissionRule } from '@penguin-ai/tools'

export async function saveWorkspaceRule(workspace: string, rule: PermissionRule): Promise<string> {
  const path = workspaceConfigPath(workspace)
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '{}'
    throw error
  })
  let json: unknown
  try {
    json = text.trim() ? JSON.parse(text) : {}
  } catch {
    throw new Error(`${path} is not valid JSON; fix it first (it was not changed)`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error(`${path} must hold a JSON object; fix it first (it was not changed)`)
  const config = json as { permissions?: unknown }
  const rules = Array.isArray(config.permissions) ? config.permissions : []
  const exists = rules.some(
    (r) =>
      typeof r === 'object' &&
      r !== null &&
      (r as PermissionRule).tool === rule.tool &&
      (r as PermissionRule).pattern === rule.pattern &&
      (r as PermissionRule).action === rule.action,
  )
  if (!exists)
    config.permissions = [...rules, { tool: rule.tool, pattern: rule.pattern, action: rule.action }]
  await mkdir(dirname(path), { recursive: true })
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { flag: 'wx' })
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  return path
}
