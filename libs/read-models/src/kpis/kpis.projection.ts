import { EntityManager } from 'typeorm';
import { asMemberEvent, MEMBER_STREAM_PREFIX, MemberEvent, ProgramConfigured } from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { Projection } from '../projector/projection';
import { READ_MODEL_SCHEMA } from '../schema';

type DayCounter =
  | 'enrolments' | 'purchases' | 'revenue_minor' | 'refunds_minor' | 'points_issued' | 'points_redeemed' | 'points_expired'
  | 'points_clawed_back' | 'points_adjusted' | 'points_transferred_in' | 'points_transferred_out';
type MemberDayCounter = 'purchases' | 'revenue_minor' | 'redemptions';

/** Day buckets by the event's own occurredAt (UTC): a backdated sale lands on the day it happened. */
export const kpisProjectionIn = (schema: string): Projection => ({
  name: 'kpis',
  async apply(manager: EntityManager, recorded: RecordedEvent): Promise<void> {
    if (recorded.type === 'ProgramConfigured' && recorded.streamId.startsWith('program-')) {
      const d = recorded.data as unknown as ProgramConfigured['data'];
      await manager.query(
        `insert into ${schema}.kpi_point_values (position, effective_at, point_value_minor, currency) values ($1, $2, $3, $4) on conflict do nothing`,
        [recorded.position.toString(), d.occurredAt, d.policy.pointValueMinor, d.policy.currency],
      );
      return;
    }
    const event = recorded.streamId.startsWith(MEMBER_STREAM_PREFIX) ? asMemberEvent(recorded.type, recorded.data) : undefined;
    if (event) await project(new KpiRows(manager, schema, event.data.memberId, event.data.occurredAt), event);
  },
});

export const kpisProjection = kpisProjectionIn(READ_MODEL_SCHEMA);

async function project(rows: KpiRows, event: MemberEvent): Promise<void> {
  switch (event.type) {
    case 'MemberEnrolled':
      return rows.day({ enrolments: 1 });
    case 'PurchaseRecorded':
      await rows.day({ purchases: 1, revenue_minor: event.data.amountMinor });
      return rows.memberDay({ purchases: 1, revenue_minor: event.data.amountMinor });
    case 'PurchaseRefunded':
      return rows.day({ refunds_minor: event.data.amountMinor });
    case 'PointsAccrued':
      return rows.day({ points_issued: event.data.points });
    case 'PointsRedeemed':
      await rows.day({ points_redeemed: event.data.points });
      return rows.memberDay({ redemptions: 1 });
    case 'RedemptionReversed':
      return rows.day({ points_redeemed: -event.data.points });
    case 'PointsExpired':
      return rows.day({ points_expired: event.data.points });
    case 'PointsClawedBack':
      return rows.day({ points_clawed_back: event.data.points });
    case 'PointsAdjusted':
      return rows.day({ points_adjusted: event.data.points });
    case 'PointsTransferredIn':
      return rows.day({ points_transferred_in: event.data.points });
    case 'PointsTransferredOut':
      return rows.day({ points_transferred_out: event.data.points });
    case 'PointsActivated':
    case 'DebtRepaid':
    case 'ReferralQualified':
    case 'ActionRecorded':
    case 'TierChanged':
      return;
  }
}

class KpiRows {
  constructor(
    private readonly manager: EntityManager,
    private readonly s: string,
    private readonly memberId: string,
    private readonly occurredAt: string,
  ) {}

  day(deltas: Partial<Record<DayCounter, number>>) {
    return this.upsert(`${this.s}.kpi_days`, ['day'], [], deltas);
  }

  memberDay(deltas: Partial<Record<MemberDayCounter, number>>) {
    return this.upsert(`${this.s}.kpi_member_days`, ['day', 'member_id'], [this.memberId], deltas);
  }

  private async upsert(table: string, keys: string[], keyValues: unknown[], deltas: Record<string, number | undefined>) {
    const entries = Object.entries(deltas).filter((e): e is [string, number] => e[1] !== undefined);
    const columns = entries.map(([c]) => c);
    const first = 2 + keyValues.length;
    const placeholders = [`($1::timestamptz at time zone 'UTC')::date`, ...keyValues.map((_, i) => `$${i + 2}`), ...entries.map((_, i) => `$${first + i}`)];
    await this.manager.query(
      `insert into ${table} (${[...keys, ...columns].join(', ')}) values (${placeholders.join(', ')})
       on conflict (${keys.join(', ')}) do update set ${columns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
      [this.occurredAt, ...keyValues, ...entries.map(([, v]) => v)],
    );
  }
}
