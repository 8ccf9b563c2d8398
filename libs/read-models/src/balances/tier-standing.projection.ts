import {
  decodeMemberEvent,
  MemberEvent,
  normaliseInstant,
  QualifyingPurchase,
  qualifyingPurchaseAfter,
  qualifyingPurchaseOf,
  TierStanding,
  tierStandingAfter,
} from '@loyalty/domain';
import { EntityManager } from 'typeorm';
import { Projection } from '../projector/projection';
import { integer, keyOf, loadRows } from '../projector/row-sets';
import { READ_MODEL_SCHEMA } from '../schema';

interface StandingRow {
  member_id: string;
  tier: string | null;
  tier_qualified_at: string | null;
  tier_reached_at: string | null;
  held: boolean;
  held_until: string | null;
}

interface PurchaseRow {
  member_id: string;
  transaction_id: string;
  occurred_at: string;
  amount_minor: number;
  refunded_minor: number;
  points_accrued: number;
  points_clawed_back: number;
}

const instantOrNull = (at: string | null) => (at === null ? null : normaliseInstant(at));

export const standingOf = (row: StandingRow): TierStanding => ({
  tier: row.tier,
  tierQualifiedAt: instantOrNull(row.tier_qualified_at),
  tierReachedAt: instantOrNull(row.tier_reached_at),
  tierHeldUntil: row.held ? instantOrNull(row.held_until) : undefined,
});

export const qualifyingPurchaseOfRow = (row: PurchaseRow): QualifyingPurchase => ({
  occurredAt: normaliseInstant(row.occurred_at),
  amountMinor: integer(row.amount_minor),
  refundedMinor: integer(row.refunded_minor),
  pointsAccrued: integer(row.points_accrued),
  pointsClawedBack: integer(row.points_clawed_back),
});

const NO_STANDING: TierStanding = { tier: null, tierQualifiedAt: null, tierReachedAt: null, tierHeldUntil: undefined };

/**
 * Each member's tier standing and qualifying purchases, folded by the
 * domain's functions, so the read side judges progress exactly as the
 * decision does. Rows are keyed by the event's member and transaction: a
 * replay yields the same rows.
 */
export const tierStandingProjectionIn = (schema: string): Projection => ({
  name: 'tier-standing',
  async applyBatch(manager, events) {
    const member = events.flatMap((recorded) => {
      const event = decodeMemberEvent(recorded);
      return event ? [event] : [];
    });
    await applyStandings(manager, schema, member);
    await applyPurchases(manager, schema, member);
  },
});

export const tierStandingProjection = tierStandingProjectionIn(READ_MODEL_SCHEMA);

async function applyStandings(manager: EntityManager, schema: string, events: readonly MemberEvent[]): Promise<void> {
  const changing = events.filter((e) => e.type === 'MemberEnrolled' || e.type === 'TierChanged');
  if (changing.length === 0) return;
  const memberIds = [...new Set(changing.map((e) => e.data.memberId))];
  const stored = await loadRows<StandingRow>(manager, `${schema}.member_tier_standing`, 'member_id = any($1)', [memberIds]);
  const standings = new Map(stored.map((row) => [row.member_id, standingOf(row)]));
  for (const event of changing) {
    const { memberId } = event.data;
    standings.set(memberId, tierStandingAfter(standings.get(memberId) ?? NO_STANDING, event));
  }
  const rows = [...standings].map(([memberId, s]) => ({
    member_id: memberId,
    tier: s.tier,
    tier_qualified_at: s.tierQualifiedAt,
    tier_reached_at: s.tierReachedAt,
    held: s.tierHeldUntil !== undefined,
    held_until: s.tierHeldUntil ?? null,
  }));
  await upsert(manager, `${schema}.member_tier_standing`, ['member_id'], rows);
}

async function applyPurchases(manager: EntityManager, schema: string, events: readonly MemberEvent[]): Promise<void> {
  const changing = events.flatMap((event) => {
    const transactionId = qualifyingPurchaseOf(event);
    return transactionId === undefined ? [] : [{ event, memberId: event.data.memberId, transactionId }];
  });
  if (changing.length === 0) return;
  const stored = await loadRows<PurchaseRow>(
    manager,
    `${schema}.member_tier_purchases`,
    '(member_id, transaction_id) in (select * from unnest($1::text[], $2::text[]))',
    [changing.map((c) => c.memberId), changing.map((c) => c.transactionId)],
  );
  const purchases = new Map<string, { memberId: string; transactionId: string; purchase: QualifyingPurchase | undefined }>(
    stored.map((row) => [
      keyOf(row.member_id, row.transaction_id),
      { memberId: row.member_id, transactionId: row.transaction_id, purchase: qualifyingPurchaseOfRow(row) },
    ]),
  );
  for (const { event, memberId, transactionId } of changing) {
    const key = keyOf(memberId, transactionId);
    const purchase = qualifyingPurchaseAfter(purchases.get(key)?.purchase, event);
    purchases.set(key, { memberId, transactionId, purchase });
  }
  const rows = [...purchases.values()].flatMap(({ memberId, transactionId, purchase: p }) =>
    p
      ? [
          {
            member_id: memberId,
            transaction_id: transactionId,
            occurred_at: p.occurredAt,
            amount_minor: p.amountMinor,
            refunded_minor: p.refundedMinor,
            points_accrued: p.pointsAccrued,
            points_clawed_back: p.pointsClawedBack,
          },
        ]
      : [],
  );
  await upsert(manager, `${schema}.member_tier_purchases`, ['member_id', 'transaction_id'], rows);
}

async function upsert(manager: EntityManager, table: string, key: readonly string[], rows: readonly object[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const others = Object.keys(first).filter((column) => !key.includes(column));
  await manager.query(
    `insert into ${table} select * from json_populate_recordset(null::${table}, $1::json)
     on conflict (${key.join(', ')}) do update set ${others.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [JSON.stringify(rows)],
  );
}
