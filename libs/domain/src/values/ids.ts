import { createHash } from 'node:crypto';

/** Namespace for name-based event ids (RFC 4122 v5), fixed forever: changing it would re-key every event. */
const EVENT_ID_NAMESPACE = 'loyalty-ledger/event/v1';

/**
 * The same command (stream, business id) always yields the same event ids, so
 * a retried append is recognisable and downstream consumers can de-duplicate.
 */
export function deterministicEventId(streamId: string, commandKey: string, index: number): string {
  const hash = createHash('sha1').update(`${EVENT_ID_NAMESPACE}\n${streamId}\n${commandKey}\n${index}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
