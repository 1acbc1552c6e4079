import type { ImageRef } from './chat-types.js'

/** Images stored with a message or tool result, inline (data URLs: nothing is fetched). */
export function InlineImages({ images }: { images: readonly ImageRef[] | undefined }) {
  if (!images?.length) return null
  return (
    <div className="inline-images">
      {images.map((image, index) => (
        <img
          // biome-ignore lint/suspicious/noArrayIndexKey: images of one immutable message
          key={index}
          className="inline-image"
          src={`data:${image.mediaType};base64,${image.data}`}
          alt={`attachment ${index + 1} (${image.mediaType})`}
        />
      ))}
    </div>
  )
}
