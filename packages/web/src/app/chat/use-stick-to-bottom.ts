import { useEffect, useLayoutEffect, useRef } from 'react'

/** Keeps the page scrolled to the newest output while the reader is at the bottom (and on first load). */
export function useStickToBottom(content: unknown, ready: boolean): void {
  const atBottom = useRef(true)
  const first = useRef(true)

  useEffect(() => {
    const onScroll = () => {
      const doc = document.documentElement
      atBottom.current = window.innerHeight + window.scrollY >= doc.scrollHeight - 80
    }
    window.addEventListener('scroll', onScroll, { passive: true })
    return () => window.removeEventListener('scroll', onScroll)
  }, [])

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs whenever the content changes
  useLayoutEffect(() => {
    if (!ready) return
    if (first.current || atBottom.current) {
      first.current = false
      window.scrollTo(0, document.documentElement.scrollHeight)
    }
  }, [content, ready])
}
