import { decodeMemberEvent, isAfter, MemberEvent, normaliseInstant } from '@loyalty/domain';
import { Projection } from '../projector/projection';
import { keyOf, loadRows } from '../projector/row-sets';
import { READ_MODEL_SCHEMA } from '../schema';

interface MembershipRow {
  member_id: string;
  membership_id: string;
  plan_id: string;
  period_end: string;
  cancelled: boolean;
  lapsed: boolean;
  started_at: string;
  trial_ends_at: string | null;
  multiplier_bp: number | null;
  tier: string | null;
}

type MembershipEvent = Extract<
  MemberEvent,
  { type: 'MembershipStarted' | 'MembershipPaymentRecorded' | 'MembershipCancelled' | 'MembershipLapsed' }
>;

const isMembershipEvent = (event: MemberEvent): event is MembershipEvent =>
  event.type === 'MembershipStarted' ||
  event.type === 'MembershipPaymentRecorded' ||
  event.type === 'MembershipCancelled' ||
  event.type === 'MembershipLapsed';

/** The period end moves as the domain's state moves it (member/state.ts), so the index finds what settlement would lapse. */
function after(row: MembershipRow | undefined, event: MembershipEvent): MembershipRow | undefined {
  if (event.type === 'MembershipStarted') {
    const d = event.data;
    return {
      member_id: d.memberId,
      membership_id: d.membershipId,
      plan_id: d.planId,
      period_end: d.periodEnd,
      cancelled: false,
      lapsed: false,
      started_at: d.occurredAt,
      trial_ends_at: d.status === 'trial' ? d.periodEnd : null,
      multiplier_bp: d.multiplierBp,
      tier: d.tier ?? null,
    };
  }
  if (!row) return undefined;
  switch (event.type) {
    case 'MembershipPaymentRecorded': {
      const current = normaliseInstant(row.period_end);
      return { ...row, period_end: isAfter(event.data.periodEnd, current) ? event.data.periodEnd : current };
    }
    case 'MembershipCancelled':
      return { ...row, cancelled: true };
    case 'MembershipLapsed':
      return { ...row, lapsed: true };
  }
}

export const membershipsProjectionIn = (schema: string): Projection => ({
  name: 'memberships',
  async applyBatch(manager, events) {
    const changing = events.flatMap((recorded) => {
      const event = decodeMemberEvent(recorded);
      return event && isMembershipEvent(event) ? [event] : [];
    });
    if (changing.length === 0) return;
    const table = `${schema}.member_memberships`;
    const stored = await loadRows<MembershipRow>(
      manager,
      table,
      '(member_id, membership_id) in (select * from unnest($1::text[], $2::text[]))',
      [changing.map((e) => e.data.memberId), changing.map((e) => e.data.membershipId)],
    );
    const rows = new Map(stored.map((row) => [keyOf(row.member_id, row.membership_id), row]));
    for (const event of changing) {
      const key = keyOf(event.data.memberId, event.data.membershipId);
      const next = after(rows.get(key), event);
      if (next) rows.set(key, next);
    }
    await manager.query(
      `insert into ${table} select * from json_populate_recordset(null::${table}, $1::json)
       on conflict (member_id, membership_id) do update
       set plan_id = excluded.plan_id, period_end = excluded.period_end, cancelled = excluded.cancelled, lapsed = excluded.lapsed,
           started_at = excluded.started_at, trial_ends_at = excluded.trial_ends_at, multiplier_bp = excluded.multiplier_bp,
           tier = excluded.tier`,
      [JSON.stringify([...rows.values()])],
    );
  },
});

export const membershipsProjection = membershipsProjectionIn(READ_MODEL_SCHEMA);
