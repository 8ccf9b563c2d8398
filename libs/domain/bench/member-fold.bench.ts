import { foldMember, MemberEvent } from '../src';

/**
 * Loading a member from the start means folding its whole stream. Prints
 * the fold's time and its cost per event at a few stream lengths (purchases
 * with their accruals): with the state's maps persistent, the cost per event
 * should stay about the same. Not a test: `npm run bench:fold`.
 */
function streamOf(purchases: number): MemberEvent[] {
  const start = Date.parse('2025-01-01T00:00:00Z');
  const events: MemberEvent[] = [
    {
      type: 'MemberEnrolled',
      data: {
        schemaVersion: 1,
        memberId: 'm',
        occurredAt: new Date(start).toISOString(),
        memberType: 'individual',
        personalData: null,
        referredBy: null,
        tier: null,
        requestHash: 'h',
      },
    },
  ];
  for (let i = 0; i < purchases; i++) {
    const occurredAt = new Date(start + i * 60_000).toISOString();
    const base = { schemaVersion: 1, memberId: 'm', occurredAt };
    events.push({
      type: 'PurchaseRecorded',
      data: { ...base, transactionId: `t${i}`, amountMinor: 1000, currency: 'EUR', items: [], storeId: null, requestHash: `h${i}` },
    });
    events.push({
      type: 'PointsAccrued',
      data: {
        ...base,
        lotId: `purchase:t${i}`,
        points: 10,
        source: 'purchase',
        reference: `t${i}`,
        programVersion: 1,
        ruleIds: ['base'],
        pendingUntil: null,
        expiresAt: null,
      },
    });
  }
  return events;
}

const time = (run: () => unknown) => {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
};

console.log('events\tfoldMember ms\tus per event');
for (const purchases of [500, 2000, 5000]) {
  const events = streamOf(purchases);
  const fold = time(() => foldMember(events));
  console.log(`${events.length}\t${fold.toFixed(1)}\t${((fold * 1000) / events.length).toFixed(1)}`);
}
