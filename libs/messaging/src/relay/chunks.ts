import { RecordedEvent } from '@loyalty/event-store';
import { routeEvent, routeLabel, TopicMapDefinition } from '../topics/topic-map';
import { OutgoingMessage, toOutgoingMessage } from './messages';

export interface DeadLetter {
  readonly event: RecordedEvent;
  readonly topic: string;
  readonly bytes: number;
  readonly error: string;
}

/** One sendBatch and the checkpoint that follows its acknowledgement. */
export interface Chunk {
  readonly messages: OutgoingMessage[];
  /** Refused before sending (too large for any broker limit we know of). */
  readonly deadLetters: DeadLetter[];
  /** Events of internal streams (claims) or of streams the catalogue does not know: nothing to send, but the checkpoint moves past them. */
  internalEvents: number;
  /** Mapped by default only: reported so someone catalogues the type deliberately. */
  readonly unmappedTypes: Set<string>;
  /** Never published because the catalogue does not know the stream's kind: reported so nothing goes missing unnoticed. */
  readonly unknownStreamTypes: Set<string>;
  lastPosition: bigint;
}

export interface ChunkLimits {
  /** Bound on one sendBatch, kept below the broker's max.message.bytes so no partition's record batch is refused. */
  readonly chunkBytesMax: number;
  /** A single record above this is refused locally as poison rather than by the broker. */
  readonly messageBytesMax: number;
}

/** Splits a batch of events, in order, into chunks that each fit one produce request. */
export function chunksOf(batch: readonly RecordedEvent[], map: TopicMapDefinition, limits: ChunkLimits): Chunk[] {
  const chunks: Chunk[] = [];
  let chunk: Chunk | undefined;
  let chunkBytes = 0;
  for (const event of batch) {
    const route = routeEvent(map, event.streamId, event.type);
    const outgoing = route.kind === 'publish' ? toOutgoingMessage(event, route.topic, route.key) : undefined;
    if (!chunk || (outgoing && chunk.messages.length > 0 && chunkBytes + outgoing.bytes > limits.chunkBytesMax)) {
      chunk = {
        messages: [],
        deadLetters: [],
        internalEvents: 0,
        unmappedTypes: new Set(),
        unknownStreamTypes: new Set(),
        lastPosition: event.position,
      };
      chunkBytes = 0;
      chunks.push(chunk);
    }
    chunk.lastPosition = event.position;
    if (route.kind !== 'publish' || !outgoing) {
      chunk.internalEvents++;
      if (route.kind === 'unknown-stream') chunk.unknownStreamTypes.add(routeLabel(event.streamId, event.type));
      continue;
    }
    if (!route.mapped) chunk.unmappedTypes.add(routeLabel(event.streamId, event.type));
    if (outgoing.bytes > limits.messageBytesMax) {
      const error = `MESSAGE_TOO_LARGE: ${outgoing.bytes} bytes exceeds messageBytesMax=${limits.messageBytesMax}`;
      chunk.deadLetters.push({ event, topic: route.topic, bytes: outgoing.bytes, error });
      continue;
    }
    chunk.messages.push(outgoing);
    chunkBytes += outgoing.bytes;
  }
  return chunks;
}
