import type { ToolFileChange } from '@penguin-ai/sdk'
import { DiffView } from '../diff/diff-view.js'
import { Visible } from './visible.js'

const OPERATION: Record<ToolFileChange['operation'], string> = {
  add: 'add',
  modify: 'modify',
  delete: 'delete',
  rename: 'rename',
}

/** Every file a call changes (or will change), each with its operation and, where it differs, the path the model asked for. */
export function FileList({ files }: { files: readonly ToolFileChange[] }) {
  return (
    <ul className="file-changes">
      {files.map((file) => (
        <li key={`${file.operation}:${file.from ?? ''}:${file.path}`}>
          <span className={`op op-${file.operation}`}>{OPERATION[file.operation]}</span>{' '}
          <code className="path">
            {file.from ? (
              <>
                <Visible text={file.from} /> → <Visible text={file.path} />
              </>
            ) : (
              <Visible text={file.path} />
            )}
          </code>{' '}
          <span className="muted">
            +{file.added} −{file.removed}
          </span>
          {file.requested !== undefined && (
            <div className="requested">
              The model asked for{' '}
              <code>
                <Visible text={file.requested} />
              </code>
              {file.realPath ? (
                <>
                  , which resolves to{' '}
                  <code>
                    <Visible text={file.realPath} />
                  </code>
                </>
              ) : null}
            </div>
          )}
        </li>
      ))}
    </ul>
  )
}

/** The diffs of the changes, one figure per file. */
export function FileDiffs({ files }: { files: readonly ToolFileChange[] }) {
  return (
    <>
      {files.map((file) =>
        file.diff === undefined ? (
          <p key={file.path} className="muted">
            No diff: <Visible text={file.path} /> is too large to compare.
          </p>
        ) : (
          <DiffView key={`${file.from ?? ''}:${file.path}`} diff={file.diff} label={`Diff of ${file.path}`} />
        ),
      )}
    </>
  )
}
