import type { PenguinClient } from '@penguin-ai/sdk'
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'
import { makeClient } from './make-client.js'
import { readToken, saveToken } from './token-store.js'

interface Auth {
  client: PenguinClient
  /** The server answered 401: the UI shows the token form instead of the views. */
  needsToken: boolean
  hasToken: boolean
  acceptToken(token: string): void
  forgetToken(): void
}

const AuthContext = createContext<Auth | null>(null)

export function ApiProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState(readToken)
  const [needsToken, setNeedsToken] = useState(false)
  const client = useMemo(() => makeClient({ token, onUnauthorized: () => setNeedsToken(true) }), [token])
  const acceptToken = useCallback((next: string) => {
    saveToken(next)
    setToken(next)
    setNeedsToken(false)
  }, [])
  const forgetToken = useCallback(() => {
    saveToken(undefined)
    setToken(undefined)
    setNeedsToken(true)
  }, [])
  const value = useMemo(
    () => ({ client, needsToken, hasToken: Boolean(token), acceptToken, forgetToken }),
    [client, needsToken, token, acceptToken, forgetToken],
  )
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext)
  if (!auth) throw new Error('useAuth outside <ApiProvider>')
  return auth
}

export function useClient(): PenguinClient {
  return useAuth().client
}
