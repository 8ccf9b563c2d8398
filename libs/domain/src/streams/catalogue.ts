import type { BudgetEvent } from '../budgets/budgets';
import type { ClaimKind, ClientIdClaimed } from '../claims/claims';
import type { MemberEventType } from '../member/events';
import type { ProgramEvent } from '../program/program';
import type { SegmentDefinitionEvent } from '../segments/definitions';

/**
 * Every kind of stream the ledger writes, its id prefix, its event types and
 * whether it leaves the ledger. The write path, the read models and the Kafka
 * relay all read stream ids through this catalogue, so a new kind of stream is
 * private until someone decides here where its events go.
 */

/** What a published event is about; libs/messaging gives each concern a Kafka topic. */
export type TopicConcern = 'member' | 'points' | 'purchases' | 'program' | 'segments';

export interface PublicStreamKind<Type extends string> {
  readonly prefix: string;
  readonly visibility: 'public';
  /** For an event type newer than this code: published there rather than dropped. */
  readonly defaultConcern: TopicConcern;
  readonly concernByType: Readonly<Record<Type, TopicConcern>>;
}

/** The ledger's own bookkeeping: never published. */
export interface InternalStreamKind<Type extends string> {
  readonly prefix: string;
  readonly visibility: 'internal';
  readonly eventTypes: readonly Type[];
}

const MEMBER_EVENT_CONCERNS: Readonly<Record<MemberEventType, TopicConcern>> = {
  MemberEnrolled: 'member',
  TierChanged: 'member',
  ReferralQualified: 'member',
  ActionRecorded: 'member',
  MemberErased: 'member',
  MembershipStarted: 'member',
  MembershipPaymentRecorded: 'member',
  MembershipCancelled: 'member',
  MembershipLapsed: 'member',
  CouponIssued: 'member',
  CouponUsed: 'member',
  CouponExpired: 'member',
  CouponCancelled: 'member',
  PointsAccrued: 'points',
  PointsActivated: 'points',
  PointsRedeemed: 'points',
  RedemptionReversed: 'points',
  PointsExpired: 'points',
  PointsAdjusted: 'points',
  PointsTransferredOut: 'points',
  PointsTransferredIn: 'points',
  PointsClawedBack: 'points',
  DebtRepaid: 'points',
  PurchaseRecorded: 'purchases',
  PurchaseRefunded: 'purchases',
};

const PROGRAM_EVENT_CONCERNS: Readonly<Record<ProgramEvent['type'], TopicConcern>> = {
  ProgramConfigured: 'program',
  OfferBudgetExhausted: 'program',
};

const SEGMENT_DEFINITION_EVENT_CONCERNS: Readonly<Record<SegmentDefinitionEvent['type'], TopicConcern>> = {
  SegmentDefined: 'segments',
  SegmentRemoved: 'segments',
  SegmentThresholdsChanged: 'segments',
};

/**
 * A global client id (transactionId, redemptionId, refundId, transferId) is
 * claimed by one member before the member's stream is written (claims.ts).
 * The claim holds the member id and the request hash: nothing for consumers.
 */
const claimStream = (prefix: string): InternalStreamKind<ClientIdClaimed['type']> => ({
  prefix,
  visibility: 'internal',
  eventTypes: ['ClientIdClaimed'],
});

/** Prefixes are stored in every stream id already written: they never change, and none is the start of another. */
export const STREAM_KINDS = {
  member: { prefix: 'member-', visibility: 'public', defaultConcern: 'member', concernByType: MEMBER_EVENT_CONCERNS },
  program: { prefix: 'program-', visibility: 'public', defaultConcern: 'program', concernByType: PROGRAM_EVENT_CONCERNS },
  'segment-definitions': {
    prefix: 'segments-',
    visibility: 'public',
    defaultConcern: 'segments',
    concernByType: SEGMENT_DEFINITION_EVENT_CONCERNS,
  },
  'purchase-claim': claimStream('purchase-'),
  'redemption-claim': claimStream('redemption-'),
  'refund-claim': claimStream('refund-'),
  'transfer-claim': claimStream('transfer-'),
  /** A coupon code, claimed by the member it was issued to: codes are unique, and a till's code finds its member. */
  'coupon-claim': claimStream('coupon-'),
  /** A budgeted earning rule's reservations (budgets/budgets.ts): what makes budgets exact under concurrency. */
  'rule-budget': { prefix: 'budget-', visibility: 'internal', eventTypes: ['BudgetReserved'] as BudgetEvent['type'][] },
} as const satisfies Record<string, PublicStreamKind<string> | InternalStreamKind<string>>;

export type StreamKind = keyof typeof STREAM_KINDS;
export const STREAM_KIND_NAMES = Object.keys(STREAM_KINDS) as readonly StreamKind[];

export const CLAIM_STREAM_KINDS: Readonly<Record<ClaimKind, StreamKind>> = {
  purchase: 'purchase-claim',
  redemption: 'redemption-claim',
  refund: 'refund-claim',
  transfer: 'transfer-claim',
  coupon: 'coupon-claim',
};

export const streamPrefixOf = (kind: StreamKind): string => STREAM_KINDS[kind].prefix;

export const streamIdOf = (kind: StreamKind, id: string): string => `${STREAM_KINDS[kind].prefix}${id}`;

export const isStreamOf = (kind: StreamKind, streamId: string): boolean => streamId.startsWith(STREAM_KINDS[kind].prefix);

export interface ParsedStreamId {
  readonly kind: StreamKind;
  /** The id after the prefix: a member id, the program id, a claimed client id. */
  readonly id: string;
}

/** undefined for a stream of no kind this code knows (a newer ledger's, or not the ledger's at all). */
export function parseStreamId(streamId: string): ParsedStreamId | undefined {
  const kind = STREAM_KIND_NAMES.find((k) => streamId.startsWith(STREAM_KINDS[k].prefix));
  return kind && { kind, id: streamId.slice(STREAM_KINDS[kind].prefix.length) };
}

export const isPublicStream = (kind: StreamKind): boolean => STREAM_KINDS[kind].visibility === 'public';

export function eventTypesOf(kind: StreamKind): readonly string[] {
  const spec: PublicStreamKind<string> | InternalStreamKind<string> = STREAM_KINDS[kind];
  return spec.visibility === 'public' ? Object.keys(spec.concernByType) : spec.eventTypes;
}

export interface Publication {
  readonly concern: TopicConcern;
  /** false: a type this code does not know, published to its kind's default concern. */
  readonly known: boolean;
}

/** Where an event of this kind and type is published; undefined for an internal stream. */
export function publicationOf(kind: StreamKind, type: string): Publication | undefined {
  const spec: PublicStreamKind<string> | InternalStreamKind<string> = STREAM_KINDS[kind];
  if (spec.visibility === 'internal') return undefined;
  const concern = Object.hasOwn(spec.concernByType, type) ? spec.concernByType[type] : undefined;
  return concern === undefined ? { concern: spec.defaultConcern, known: false } : { concern, known: true };
}

export interface PublishableEventType {
  readonly kind: StreamKind;
  readonly type: string;
  readonly concern: TopicConcern;
}

/** Every event type that can leave the ledger: each needs a published schema. */
export const PUBLISHABLE_EVENT_TYPES: readonly PublishableEventType[] = STREAM_KIND_NAMES.flatMap((kind) =>
  eventTypesOf(kind).flatMap((type) => {
    const publication = publicationOf(kind, type);
    return publication ? [{ kind, type, concern: publication.concern }] : [];
  }),
);

export const MEMBER_STREAM_PREFIX = streamPrefixOf('member');
export const memberStreamId = (memberId: string): string => streamIdOf('member', memberId);

/** The one program this ledger runs; the stream kind allows more. */
export const DEFAULT_PROGRAM_ID = 'default';
export const PROGRAM_STREAM_ID = streamIdOf('program', DEFAULT_PROGRAM_ID);
