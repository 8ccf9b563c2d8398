import { parseStreamId, publicationOf, TopicConcern } from '@loyalty/domain';

/**
 * Which Kafka topic an event goes to, and under which key. What is published
 * and about which concern is the domain's stream catalogue
 * (libs/domain/src/streams); this map only names a topic per concern. Internal
 * streams (claims) and streams of a kind the catalogue does not know are never
 * published. A type the catalogue does not know on a public stream goes to its
 * kind's default concern, so it is never dropped, and the relay reports it
 * (status().unmappedTypes) so someone catalogues it deliberately.
 */
export interface TopicMapDefinition {
  /** Names the relay's checkpoint and leadership lock: a changed map gets a name of its own and republishes from the start. */
  readonly name: string;
  readonly topics: Readonly<Record<TopicConcern, string>>;
  /** Notifications derived from the log (libs/webhooks), not events of it: the notification relay's one topic. */
  readonly notifications: string;
}

export type Route =
  | { readonly kind: 'publish'; readonly topic: string; readonly key: string; readonly mapped: boolean }
  | { readonly kind: 'internal' }
  | { readonly kind: 'unknown-stream' };

export const LOYALTY_TOPICS = {
  member: 'loyalty.member',
  points: 'loyalty.points',
  purchases: 'loyalty.purchases',
  program: 'loyalty.program',
  segments: 'loyalty.segments',
} as const satisfies Record<TopicConcern, string>;

/**
 * The published map (docs/kafka.md is its prose twin). v2: claim streams of
 * every kind stay internal, segment definitions have a topic of their own and
 * loyalty.other is gone.
 */
export const LOYALTY_TOPIC_MAP: TopicMapDefinition = { name: 'loyalty-v2', topics: LOYALTY_TOPICS, notifications: 'loyalty.notifications' };

/** The same routing under another name with every topic prefixed, so tests and benchmarks never write the real topics. */
export function prefixedTopicMap(map: TopicMapDefinition, prefix: string): TopicMapDefinition {
  const rename = (concern: TopicConcern) => `${prefix}.${map.topics[concern]}`;
  return {
    name: prefix,
    topics: {
      member: rename('member'),
      points: rename('points'),
      purchases: rename('purchases'),
      program: rename('program'),
      segments: rename('segments'),
    },
    notifications: `${prefix}.${map.notifications}`,
  };
}

export function routeEvent(map: TopicMapDefinition, streamId: string, type: string): Route {
  const stream = parseStreamId(streamId);
  if (!stream) return { kind: 'unknown-stream' };
  const publication = publicationOf(stream.kind, type);
  if (!publication) return { kind: 'internal' };
  return { kind: 'publish', topic: map.topics[publication.concern], key: stream.id, mapped: publication.known };
}

/** Every topic of the map, the notifications' included, so the relays can create them before the first message needs one. */
export function topicsOf(map: TopicMapDefinition): string[] {
  return [...new Set([...Object.values(map.topics), map.notifications])].sort();
}

/** How the relay reports a type it routed by default or a stream it did not publish: the stream's kind (else its id's first word) and the type. */
export function routeLabel(streamId: string, type: string): string {
  return `${parseStreamId(streamId)?.kind ?? streamId.split('-')[0]}:${type}`;
}
