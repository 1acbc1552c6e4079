/** The API token, kept for this tab only (sessionStorage): closing the tab forgets it. */
const KEY = 'penguin.token'

export function readToken(): string | undefined {
  try {
    return window.sessionStorage.getItem(KEY) ?? undefined
  } catch {
    return undefined
  }
}

export function saveToken(token: string | undefined): void {
  try {
    if (token) window.sessionStorage.setItem(KEY, token)
    else window.sessionStorage.removeItem(KEY)
  } catch {
    // Storage disabled: the token lives as long as the page.
  }
}
