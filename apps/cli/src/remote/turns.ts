/** The turn history of a session on a Penguin server (remote chat): the same rules, over HTTP. */
import type { RemoteChat } from '../commands/remote-chat.js'
import { type SessionHistory, type TurnSource, turnMessage } from '../session/turn-history.js'

export function remoteTurns(chat: RemoteChat): TurnSource {
  const { client } = chat.remote
  return {
    async load(): Promise<SessionHistory> {
      const id = chat.session.id
      const [checkpoints, messages] = await Promise.all([
        client.checkpoints.list(id),
        client.sessions.messages(id),
      ])
      return {
        checkpoints: checkpoints.items.map((c) => ({ id: c.id, kind: c.kind, messages: c.message_ranges })),
        messages: messages.items.map(turnMessage),
      }
    },
    async restore(checkpointId, keepMessages) {
      const result = await client.checkpoints.restore(
        checkpointId,
        keepMessages === undefined ? {} : { keep_messages: keepMessages },
      )
      chat.session = await client.sessions.get(chat.session.id)
      return result
    },
  }
}
