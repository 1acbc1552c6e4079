// React rendered into happy-dom for the component tests (their file declares
// `@vitest-environment happy-dom`): one mounted tree at a time, unmounted after each test.
import { act, type ReactNode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach } from 'vitest'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

let root: Root | undefined
let host: HTMLElement | undefined

afterEach(() => {
  act(() => root?.unmount())
  host?.remove()
  root = undefined
  host = undefined
})

/** Mounts `node` in a new element on the page; returns that element. */
export function render(node: ReactNode): HTMLElement {
  const element = document.createElement('div')
  document.body.append(element)
  host = element
  const mounted = createRoot(element)
  root = mounted
  act(() => mounted.render(node))
  return element
}

/** Renders `node` in place of what the last `render` mounted (new props, same DOM). */
export function rerender(node: ReactNode): void {
  act(() => root?.render(node))
}
