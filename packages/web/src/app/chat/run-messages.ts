/**
 * Messages typed while a run works: steering (read before the model's next step) and follow-ups
 * (read when it would stop). They wait beside the composer until the run reads them — the
 * `message.delivered` event puts them in the conversation where the model read them — or until a
 * run starts with one as its prompt (sent just as the run ended, or too late for it on a worker:
 * it starts the next run). A run that ends without reading one says so in a notice; the waiting
 * line goes with the run.
 */
import type { SessionEvent } from '@penguin-ai/sdk'
import type { ChatState, QueuedMessage } from './chat-types.js'

export type Delivery = QueuedMessage['delivery']

/** Typed by the user: waiting for the server to accept it. */
export function queueMessage(state: ChatState, delivery: Delivery, text: string): ChatState {
  const message: QueuedMessage = { key: `queued${state.seq}`, delivery, text, state: 'sending' }
  return { ...state, queued: [...state.queued, message], seq: state.seq + 1 }
}

/**
 * The server's answer: accepted for the run in progress (it waits to be read), or it started a run
 * (`prompt`: that run's `run.started` shows it) — unless that already happened.
 */
export function messageAccepted(
  state: ChatState,
  delivery: Delivery,
  text: string,
  answered: Delivery | 'prompt',
): ChatState {
  const at = state.queued.findIndex(
    (message) => message.state === 'sending' && message.delivery === delivery && message.text === text,
  )
  if (at === -1) return state
  if (answered === 'prompt') return { ...state, queued: state.queued.filter((_, index) => index !== at) }
  const queued = [...state.queued]
  queued[at] = { ...(queued[at] as QueuedMessage), state: 'queued' }
  return { ...state, queued }
}

/** Not sent (the server refused it, or could not be reached): it goes, the reason stays. */
export function messageFailed(state: ChatState, delivery: Delivery, text: string, why: string): ChatState {
  const at = state.queued.findIndex((message) => message.delivery === delivery && message.text === text)
  const queued = at === -1 ? state.queued : state.queued.filter((_, index) => index !== at)
  const notice = { kind: 'notice' as const, key: `live${state.seq}`, tone: 'error' as const, text: why }
  return { ...state, queued, items: [...state.items, notice], seq: state.seq + 1 }
}

/** What a run's events change in the waiting line (the items are the reducer's). */
export function queuedAfter(queued: readonly QueuedMessage[], event: SessionEvent): QueuedMessage[] {
  switch (event.type) {
    case 'message.delivered':
      return without(queued, (message) => message.delivery === event.delivery && message.text === event.text)
    case 'run.started':
      return without(queued, (message) => message.text === event.prompt)
    case 'run.finished':
      // What the run did not read is in its notice (or starts the next run, which shows it).
      return queued.filter((message) => message.state === 'sending')
    default:
      return queued as QueuedMessage[]
  }
}

/** The list without the first message matching `match` (the same array when none does). */
function without(
  queued: readonly QueuedMessage[],
  match: (message: QueuedMessage) => boolean,
): QueuedMessage[] {
  const at = queued.findIndex(match)
  return at === -1 ? (queued as QueuedMessage[]) : queued.filter((_, index) => index !== at)
}
