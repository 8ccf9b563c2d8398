import { conflict } from '../values/errors';
import { CLAIM_STREAM_KINDS, streamIdOf } from '../streams/catalogue';

/**
 * Client ids that are global, not per member (a transactionId, a
 * redemptionId), are claimed in a stream of their own before the member's
 * stream is written. The claim makes an id used by two members a conflict and
 * lets a refund or reversal find the member from the id alone. A claim whose
 * member write never happened is completed by the client's retry, which
 * matches the claim.
 */
export type ClaimKind = 'purchase' | 'redemption' | 'refund' | 'transfer' | 'coupon';

export interface ClientIdClaimed {
  readonly type: 'ClientIdClaimed';
  readonly data: {
    readonly schemaVersion: number;
    readonly kind: ClaimKind;
    readonly id: string;
    readonly memberId: string;
    readonly requestHash: string;
  };
}

export interface Claim {
  readonly memberId: string;
  readonly requestHash: string;
}

export const claimStreamId = (kind: ClaimKind, id: string): string => streamIdOf(CLAIM_STREAM_KINDS[kind], id);

export function claimFromEvents(events: readonly ClientIdClaimed[]): Claim | undefined {
  const first = events[0];
  return first && { memberId: first.data.memberId, requestHash: first.data.requestHash };
}

/** [] when the same request already holds the claim; a conflict when another request does. */
export function decideClaim(
  kind: ClaimKind,
  id: string,
  memberId: string,
  requestHash: string,
  existing: Claim | undefined,
): ClientIdClaimed[] {
  if (existing) {
    if (existing.memberId === memberId && existing.requestHash === requestHash) return [];
    throw conflict('IDEMPOTENCY_CONFLICT', `${kind} ${id} was already used with a different request`, { key: `${kind}:${id}` });
  }
  return [{ type: 'ClientIdClaimed', data: { schemaVersion: 1, kind, id, memberId, requestHash } }];
}
