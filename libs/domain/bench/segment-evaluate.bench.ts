import { builtinSegments, criteriaEvaluatorAt, DEFAULT_SEGMENT_THRESHOLDS, memberFacts, purchaseFact, PurchaseInput } from '../src';

/**
 * What the segments projection pays per member at a fact event: judging
 * every built-in segment on the member's facts. Prints microseconds per
 * member at a few purchase counts, for facts built once (the projection
 * holds them across a batch) and for facts built at each evaluation (what
 * offers do from a folded stream). Not a test: `npm run build --silent &&
 * node dist/libs/domain/bench/segment-evaluate.bench.js`.
 */
const AS_OF = '2026-01-01T00:00:00.000Z';
const DAY_MS = 86_400_000;
const ROUNDS = 20_000;

function purchasesOf(count: number): PurchaseInput[] {
  return Array.from({ length: count }, (_, i) => ({
    occurredAt: new Date(Date.parse(AS_OF) - ((i * 7) % 700) * DAY_MS - i * 60_000).toISOString(),
    amountMinor: 1_000 + ((i * 37) % 9_000),
    refundedMinor: i % 10 === 0 ? 500 : 0,
    storeId: `store-${i % 5}`,
    skus: ['latte'],
    categories: ['coffee'],
  }));
}

const member = { memberType: 'individual' as const, enrolledAt: '2023-03-15T09:00:00.000Z', birthDate: '1990-07-01', tier: 'gold' };
const criteria = builtinSegments(DEFAULT_SEGMENT_THRESHOLDS).map((s) => s.criteria);

const microsPerRound = (round: () => unknown) => {
  for (let i = 0; i < ROUNDS / 10; i++) round();
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) round();
  return Number(process.hrtime.bigint() - started) / 1e3 / ROUNDS;
};

console.log(`${criteria.length} built-in segments per member`);
console.log('purchases\tfacts held µs/member\tfacts built µs/member');
for (const count of [10, 25, 100]) {
  const records = purchasesOf(count);
  const held = memberFacts({ ...member, lastRedemptionAt: null }, records.map(purchaseFact));
  const judge = (facts: typeof held) => {
    const matches = criteriaEvaluatorAt(AS_OF);
    return criteria.filter((c) => matches(c, facts)).length;
  };
  const heldMicros = microsPerRound(() => judge(held));
  const builtMicros = microsPerRound(() => judge(memberFacts({ ...member, lastRedemptionAt: null }, records.map(purchaseFact))));
  console.log(`${count}\t${heldMicros.toFixed(1)}\t${builtMicros.toFixed(1)}`);
}
