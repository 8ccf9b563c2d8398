/**
 * Which Kafka topic an event goes to, and under which key. Routing is by
 * stream category (the stream id prefix) and then by event type, so a new
 * event type is published to its category's default topic until it is given
 * a topic of its own: an unknown type is never dropped, and the relay reports
 * it (status().unmappedTypes) so someone maps it deliberately.
 */
export interface StreamCategory {
  /** Stream ids start with it; the rest of the id is the message key (member id, program id). */
  readonly prefix: string;
  readonly defaultTopic: string;
  readonly topicsByType: Readonly<Record<string, string>>;
}

export interface TopicMapDefinition {
  /** Names the relay's checkpoint and leadership lock: a changed map gets a name of its own and republishes from the start. */
  readonly name: string;
  readonly categories: readonly StreamCategory[];
  /** Streams that exist for the ledger's own bookkeeping and are never published. */
  readonly internalPrefixes: readonly string[];
  /** For a stream of no known category; keyed by the whole stream id. */
  readonly fallbackTopic: string;
}

export type Route =
  { readonly kind: 'publish'; readonly topic: string; readonly key: string; readonly mapped: boolean } | { readonly kind: 'internal' };

export const LOYALTY_TOPICS = {
  member: 'loyalty.member',
  points: 'loyalty.points',
  purchases: 'loyalty.purchases',
  program: 'loyalty.program',
  other: 'loyalty.other',
} as const;

const { member, points, purchases, program } = LOYALTY_TOPICS;

/**
 * The published map (docs/kafka.md is its prose twin). Types listed before
 * they exist in the domain are the ones planned, so they land on the right
 * topic on the day they are first written.
 */
export const LOYALTY_TOPIC_MAP: TopicMapDefinition = {
  name: 'loyalty-v1',
  categories: [
    {
      prefix: 'member-',
      defaultTopic: member,
      topicsByType: {
        MemberEnrolled: member,
        MemberProfileUpdated: member,
        TierChanged: member,
        ReferralQualified: member,
        ActionRecorded: member,
        MemberErased: member,
        PointsAccrued: points,
        PointsActivated: points,
        PointsRedeemed: points,
        RedemptionReversed: points,
        PointsExpired: points,
        PointsAdjusted: points,
        PointsTransferredOut: points,
        PointsTransferredIn: points,
        PointsClawedBack: points,
        DebtRepaid: points,
        PurchaseRecorded: purchases,
        PurchaseRefunded: purchases,
      },
    },
    { prefix: 'program-', defaultTopic: program, topicsByType: { ProgramConfigured: program } },
  ],
  internalPrefixes: ['purchase-', 'redemption-'],
  fallbackTopic: LOYALTY_TOPICS.other,
};

export function routeEvent(map: TopicMapDefinition, streamId: string, type: string): Route {
  if (map.internalPrefixes.some((prefix) => streamId.startsWith(prefix))) return { kind: 'internal' };
  const category = map.categories.find((c) => streamId.startsWith(c.prefix));
  if (!category) return { kind: 'publish', topic: map.fallbackTopic, key: streamId, mapped: false };
  const topic = category.topicsByType[type];
  const key = streamId.slice(category.prefix.length);
  return topic === undefined
    ? { kind: 'publish', topic: category.defaultTopic, key, mapped: false }
    : { kind: 'publish', topic, key, mapped: true };
}

/** Every topic the map can route to, so the relay can create them before the first event needs one. */
export function topicsOf(map: TopicMapDefinition): string[] {
  const topics = new Set<string>([map.fallbackTopic]);
  for (const category of map.categories) {
    topics.add(category.defaultTopic);
    for (const topic of Object.values(category.topicsByType)) topics.add(topic);
  }
  return [...topics].sort();
}
