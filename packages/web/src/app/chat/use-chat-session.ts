import {
  isSessionEvent,
  type Message,
  type PenguinClient,
  type PermissionReply,
  type ServerEvent,
  type Session,
  type SessionEvent,
} from '@penguin-ai/sdk'
import { useCallback, useLayoutEffect, useReducer, useRef, useState } from 'react'
import { useClient } from '../api/api-context.js'
import { useServerEvents } from '../hooks/use-server-events.js'
import { describeError } from '../ui/error-message.js'
import { chatReducer, initialChatState } from './chat-reducer.js'
import { itemsFromMessages } from './from-messages.js'
import type { Delivery } from './run-messages.js'
import { MAX_STORED_DEPTH, taskSessionIds } from './subagent-history.js'

/**
 * The messages of the sub-agents' sessions the stored `task` calls ran, level by level down to the
 * deepest sub-agents. A child that cannot be read (deleted since) is left out: its call shows alone.
 */
async function storedChildren(
  client: PenguinClient,
  messages: readonly Message[],
): Promise<Map<string, readonly Message[]>> {
  const children = new Map<string, readonly Message[]>()
  let level = taskSessionIds(itemsFromMessages(messages))
  for (let depth = 1; depth <= MAX_STORED_DEPTH && level.length > 0; depth++) {
    const fetched = await Promise.all(
      level.map((child) =>
        client.sessions.messages(child).then(
          (found) => [child, found.items] as const,
          () => [child, undefined] as const,
        ),
      ),
    )
    const next: string[] = []
    for (const [child, items] of fetched) {
      if (!items) continue
      children.set(child, items)
      next.push(...taskSessionIds(itemsFromMessages(items)))
    }
    level = [...new Set(next)].filter((child) => !children.has(child))
  }
  return children
}

/**
 * A session's conversation, live. At once: the session record, the stored messages and the event
 * stream; the messages are shown as soon as they arrive (events are held back until then), and once
 * the stream is open a second look at the session tells whether anything happened in between (then
 * the conversation is fetched again). After a reload mid-run the stream is reopened replaying what
 * the server retained, so the run in progress shows whole. Pending permission asks come last.
 */
export function useChatSession(id: string) {
  const client = useClient()
  const [state, dispatch] = useReducer(chatReducer, undefined, initialChatState)
  const [session, setSession] = useState<Session>()
  const [error, setError] = useState<unknown>()
  const [loaded, setLoaded] = useState(false)
  /** The run in progress when the page opened: the stream replays it. */
  const [replay, setReplay] = useState<string | null>(null)
  const [actionError, setActionError] = useState<unknown>()
  /** Events held back until the messages are shown, by event id (a replaying stream may repeat some). */
  const held = useRef<Map<number, SessionEvent> | null>(new Map())
  const first = useRef<Promise<Session> | null>(null)

  /** Shows stored messages, then what the stream said meanwhile, then the pending asks. */
  const show = useCallback(
    (found: Session, messages: readonly Message[], request: Promise<Session>) => {
      performance.mark('penguin:session-data')
      dispatch({ type: 'loaded', messages, session: found, permissions: [] })
      const waiting = [...(held.current ?? new Map<number, SessionEvent>()).entries()].sort(
        (a, b) => a[0] - b[0],
      )
      for (const [, event] of waiting) dispatch({ type: 'event', event })
      held.current = null
      setLoaded(true)
      client.permissions.list({ session_id: id }).then(
        (asks) => request === first.current && dispatch({ type: 'permissions', permissions: asks.items }),
        () => undefined,
      )
      // Sub-agents' panels come from their own sessions; the conversation does not wait for them.
      storedChildren(client, messages).then(
        (children) =>
          children.size > 0 && request === first.current && dispatch({ type: 'children', children }),
        () => undefined,
      )
    },
    [client, id],
  )

  useLayoutEffect(() => {
    const controller = new AbortController()
    const signal = controller.signal
    setSession(undefined)
    setReplay(null)
    setLoaded(false)
    setError(undefined)
    held.current = new Map()
    performance.mark('penguin:session-fetch')
    const request = client.sessions.get(id, { signal })
    first.current = request
    const failed = (caught: unknown) => {
      if (!signal.aborted) setError(caught)
    }
    request.then(setSession, failed)
    Promise.all([request, client.sessions.messages(id, { signal })]).then(([found, messages]) => {
      if (signal.aborted) return
      if (found.active_run_id) setReplay(found.active_run_id)
      else show(found, messages.items, request)
    }, failed)
    return () => controller.abort()
  }, [client, id, show])

  const onConnected = useCallback(async () => {
    const request = first.current
    if (!request) return
    try {
      if (replay) {
        // Everything retained is replayed: the stored part of the run is dropped as it comes again.
        const [found, messages] = await Promise.all([request, client.sessions.messages(id)])
        if (request === first.current) show({ ...found, active_run_id: replay }, messages.items, request)
        return
      }
      const [before, now] = await Promise.all([request, client.sessions.get(id)])
      if (request !== first.current) return
      if (now.active_run_id) {
        held.current = new Map()
        setReplay(now.active_run_id)
      } else if (now.message_count !== before.message_count) {
        held.current ??= new Map()
        const messages = await client.sessions.messages(id)
        if (request === first.current) show(now, messages.items, request)
      }
    } catch (caught) {
      if (request === first.current) setError(caught)
    }
  }, [client, id, replay, show])

  const onEvent = useCallback(
    (event: ServerEvent) => {
      const data = event.data
      if (data.type === 'resync') {
        // The server no longer has the events this page missed: show the stored conversation.
        const request = first.current
        if (!request) return
        held.current = new Map()
        Promise.all([client.sessions.get(id), client.sessions.messages(id)]).then(
          ([now, messages]) => {
            if (request === first.current) show(now, messages.items, request)
          },
          (caught: unknown) => setError(caught),
        )
        return
      }
      if (!isSessionEvent(data)) return
      if (held.current) held.current.set(event.id, data)
      else dispatch({ type: 'event', event: data })
      if (data.type === 'run.finished') {
        client.sessions.get(id).then(
          (fresh) => {
            setSession(fresh)
            dispatch({ type: 'session', session: fresh })
          },
          () => undefined,
        )
      }
    },
    [client, id, show],
  )

  const streamError = useServerEvents(
    { sessionId: id, ...(replay ? { lastEventId: 0 } : {}), onConnected },
    onEvent,
  )

  const send = useCallback(
    (text: string) => {
      setActionError(undefined)
      dispatch({ type: 'prompt', text })
      client.sessions.sendMessage(id, text).catch((caught: unknown) => {
        dispatch({ type: 'prompt-failed', text, message: `Not sent: ${describeError(caught).message}` })
      })
    },
    [client, id],
  )

  /** A message for the run in progress: steering it, or a follow-up (see run-messages.ts). */
  const post = useCallback(
    (text: string, delivery: Delivery) => {
      setActionError(undefined)
      dispatch({ type: 'queue', delivery, text })
      const sent = delivery === 'steer' ? client.sessions.steer(id, text) : client.sessions.followUp(id, text)
      sent.then(
        (accepted) => dispatch({ type: 'queue-accepted', delivery, text, answered: accepted.delivery }),
        (caught: unknown) =>
          dispatch({
            type: 'queue-failed',
            delivery,
            text,
            message: `Not sent: ${describeError(caught).message}`,
          }),
      )
    },
    [client, id],
  )

  const reply = useCallback(
    (permissionId: string, answer: PermissionReply) => {
      setActionError(undefined)
      dispatch({ type: 'permission', id: permissionId, state: 'sending' })
      client.permissions.reply(permissionId, { reply: answer }).then(
        () => dispatch({ type: 'permission', id: permissionId, state: answer }),
        (caught: unknown) => {
          dispatch({ type: 'permission', id: permissionId, state: 'pending' })
          setActionError(caught)
        },
      )
    },
    [client],
  )

  const runId = state.run?.id
  const stop = useCallback(() => {
    if (!runId) return
    dispatch({ type: 'cancelling' })
    client.runs.cancel(runId).catch((caught: unknown) => setActionError(caught))
  }, [client, runId])

  return { state, session, loaded, error: error ?? streamError, actionError, send, post, reply, stop }
}
