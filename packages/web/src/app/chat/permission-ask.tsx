import type { PermissionPreview, PermissionReply } from '@penguin-ai/sdk'
import type { PermissionAsk } from './chat-types.js'
import { FileDiffs, FileList } from './file-changes.js'
import { permissionVerb } from './tool-summary.js'
import { Visible } from './visible.js'

const ANSWERED: Record<PermissionReply, string> = {
  once: 'Allowed once',
  always: 'Always allowed for this session',
  reject: 'Rejected',
}

interface Props {
  ask: PermissionAsk
  tool: string
  onReply: (id: string, reply: PermissionReply) => void
}

/**
 * An inline permission request showing exactly what the call will do — the whole command, every
 * file with its operation and real path, the diffs — then allow once, always, or reject.
 */
export function PermissionAskView({ ask, tool, onReply }: Props) {
  if (ask.state !== 'pending' && ask.state !== 'sending') {
    return (
      <p className={`ask-answer ${ask.state === 'reject' ? 'rejected' : 'allowed'}`}>
        {ANSWERED[ask.state]}
        {ask.auto ? ' (by a rule)' : ''}
      </p>
    )
  }
  const busy = ask.state === 'sending'
  return (
    <fieldset className="ask" aria-busy={busy}>
      <legend>Permission needed</legend>
      <p>
        <strong>{tool}</strong> wants to {permissionVerb(ask.access)}
        {ask.preview ? ':' : ' '}
        {ask.preview ? null : (
          <code className="subject">
            <Visible text={ask.subject} />
          </code>
        )}
      </p>
      {ask.reason && (
        <p className="requested">
          <Visible text={ask.reason} /> — only an explicit answer allows it.
        </p>
      )}
      {ask.preview && <PreviewBody preview={ask.preview} />}
      <div className="row wrap">
        <button type="button" className="primary" disabled={busy} onClick={() => onReply(ask.id, 'once')}>
          Allow once
        </button>
        <button type="button" disabled={busy} onClick={() => onReply(ask.id, 'always')}>
          Always allow
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => onReply(ask.id, 'reject')}>
          Reject
        </button>
      </div>
    </fieldset>
  )
}

/** The body of an ask, by the preview's kind (never by tool name). */
export function PreviewBody({ preview }: { preview: PermissionPreview }) {
  switch (preview.kind) {
    case 'command':
      return (
        <div className="preview">
          <pre className="preview-command">
            <Visible text={preview.command} multiline />
          </pre>
          <p className="muted">
            in <Place path={preview.cwd} realPath={preview.realCwd} />
          </p>
        </div>
      )
    case 'file-edit':
      return (
        <div className="preview">
          <FileList files={preview.files} />
          <FileDiffs files={preview.files} />
        </div>
      )
    case 'file-read':
      return (
        <div className="preview">
          <p>
            <Place path={preview.path} realPath={preview.realPath} />
          </p>
          {preview.requested !== undefined && (
            <p className="requested">
              The model asked for{' '}
              <code>
                <Visible text={preview.requested} />
              </code>
            </p>
          )}
        </div>
      )
    case 'search':
      return (
        <div className="preview">
          <p>
            <code>
              <Visible text={preview.query || '(everything)'} />
            </code>{' '}
            in <Place path={preview.path} realPath={preview.realPath} />
          </p>
        </div>
      )
    case 'mcp':
      return (
        <div className="preview">
          <p>
            MCP server <code>{<Visible text={preview.server} />}</code>, tool{' '}
            <code>
              <Visible text={preview.tool} />
            </code>
          </p>
          <Arguments args={preview.args} />
        </div>
      )
    case 'generic':
      return (
        <div className="preview">
          <Arguments args={preview.args} />
        </div>
      )
  }
}

function Place({ path, realPath }: { path: string; realPath: string }) {
  return (
    <>
      <code>
        <Visible text={path} />
      </code>
      {realPath !== path && (
        <span className="muted">
          {' '}
          (
          <Visible text={realPath} />)
        </span>
      )}
    </>
  )
}

function Arguments({ args }: { args: unknown }) {
  const text = typeof args === 'string' ? args : (JSON.stringify(args, null, 2) ?? '')
  return (
    <pre className="preview-args">
      <Visible text={text} multiline />
    </pre>
  )
}
