import { randomUUID } from 'node:crypto';
import { EventToAppend } from '@loyalty/event-store';

/** A fixed digest: its size matters to the row, not its value. */
const REQUEST_HASH = 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78';

/**
 * What one purchase command appends, sized like the domain's own events:
 * PurchaseRecorded and PointsAccrued in turn, with the command's metadata.
 * `first` is the index of the first event in the writer's sequence, so a
 * single-event append alternates between the two types as well.
 */
export function purchaseEvents(memberId: string, first: number, count: number): EventToAppend[] {
  const transactionId = `txn-${randomUUID()}`;
  const metadata = { commandId: randomUUID(), correlationId: transactionId, actor: 'pos:store-0042', source: 'pos-backend' };
  const occurredAt = '2026-03-14T10:21:07.412Z';
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    metadata,
    ...((first + i) % 2 === 0
      ? {
          type: 'PurchaseRecorded',
          data: {
            schemaVersion: 1,
            memberId,
            occurredAt,
            transactionId,
            amountMinor: 4599,
            currency: 'EUR',
            items: [
              { sku: 'SKU-100234', category: 'grocery', quantity: 2, unitPriceMinor: 1299 },
              { sku: 'SKU-100871', category: 'household', quantity: 1, unitPriceMinor: 2001 },
            ],
            storeId: 'store-0042',
            requestHash: REQUEST_HASH,
          },
        }
      : {
          type: 'PointsAccrued',
          data: {
            schemaVersion: 1,
            memberId,
            occurredAt,
            lotId: `lot-${transactionId}`,
            points: 45,
            source: 'purchase',
            reference: transactionId,
            programVersion: 3,
            ruleIds: ['base-earn', 'weekend-double'],
            pendingUntil: '2026-04-13T10:21:07.412Z',
            expiresAt: '2027-03-14T10:21:07.412Z',
          },
        }),
  }));
}
