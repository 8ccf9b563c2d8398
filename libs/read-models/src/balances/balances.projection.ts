import { EntityManager } from 'typeorm';
import { asMemberEvent, LotConsumption, MEMBER_STREAM_PREFIX, MemberEvent } from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { READ_MODEL_SCHEMA } from '../schema';
import { Projection } from '../projector/projection';
import { NO_PERSONAL_DATA, PersonalDataReader } from '../projector/personal-data-reader';

type Counter = 'lifetime_earned' | 'redeemed' | 'expired' | 'clawed_back' | 'adjusted' | 'transferred_in' | 'transferred_out' | 'debt';

/**
 * Members, lots, balances and ledger entries. Lots mirror the domain's; the
 * balance's available and pending are recomputed from the lots after every
 * change, so they cannot drift from them. Every key comes from the event
 * (entry id = event id, lot ids from the event), so a replay yields the same rows.
 */
export const balancesProjectionIn = (schema: string, personalData: PersonalDataReader = NO_PERSONAL_DATA): Projection => ({
  name: 'balances',
  async apply(manager: EntityManager, recorded: RecordedEvent): Promise<void> {
    const event = recorded.streamId.startsWith(MEMBER_STREAM_PREFIX) ? asMemberEvent(recorded.type, recorded.data) : undefined;
    if (event) await project(new MemberRows(manager, recorded, schema, personalData), event);
  },
});

export const balancesProjection: Projection = balancesProjectionIn(READ_MODEL_SCHEMA);

async function project(rows: MemberRows, event: MemberEvent): Promise<void> {
  switch (event.type) {
    case 'MemberEnrolled':
      return rows.enrol(event.data);
    case 'PointsAccrued': {
      const d = event.data;
      await rows.insertLot(d.lotId, d.points, d.pendingUntil === null ? 'active' : 'pending', d.source, d.pendingUntil, d.expiresAt);
      await rows.count({ lifetime_earned: d.points });
      return rows.entry(`accrual:${d.source}`, d.points, d.reference, {
        lotId: d.lotId, programVersion: d.programVersion, ruleIds: d.ruleIds, pendingUntil: d.pendingUntil, expiresAt: d.expiresAt,
      });
    }
    case 'PointsActivated':
      await rows.setLotStatus(event.data.lotId, 'active');
      return rows.refresh();
    case 'PointsExpired':
      await rows.changeLots([event.data], -1, 'expired');
      await rows.count({ expired: event.data.points });
      return rows.entry('expiry', -event.data.points, event.data.lotId, {});
    case 'PointsRedeemed': {
      const d = event.data;
      await rows.changeLots(d.lots, -1);
      await rows.count({ redeemed: d.points });
      return rows.entry('redemption', -d.points, d.redemptionId, { rewardId: d.rewardId, lots: d.lots, programVersion: d.programVersion });
    }
    case 'RedemptionReversed': {
      const d = event.data;
      await rows.changeLots(d.lots, 1, 'restore');
      await rows.count({ redeemed: -d.points });
      return rows.entry('redemption-reversal', d.points, d.redemptionId, { lots: d.lots });
    }
    case 'PointsClawedBack': {
      const d = event.data;
      await rows.changeLots(d.lots, -1);
      await rows.count({ clawed_back: d.points, debt: d.debtIncurred });
      return rows.entry('clawback', -d.points, d.transactionId, { refundId: d.refundId, lots: d.lots, debtIncurred: d.debtIncurred });
    }
    case 'DebtRepaid':
      await rows.changeLots(event.data.lots, -1);
      return rows.count({ debt: -event.data.points });
    case 'PointsAdjusted': {
      const d = event.data;
      if (d.lotId !== null) await rows.insertLot(d.lotId, d.points, 'active', 'adjustment', null, d.expiresAt);
      else await rows.changeLots(d.lots, -1);
      await rows.count({ adjusted: d.points });
      return rows.entry('adjustment', d.points, d.adjustmentId, { reason: d.reason, actor: d.actor, lots: d.lots });
    }
    case 'PointsTransferredOut': {
      const d = event.data;
      await rows.changeLots(d.lots, -1);
      await rows.count({ transferred_out: d.points });
      return rows.entry('transfer-out', -d.points, d.transferId, { toMemberId: d.toMemberId, lots: d.lots });
    }
    case 'PointsTransferredIn': {
      const d = event.data;
      for (const lot of d.lots) await rows.insertLot(lot.lotId, lot.points, 'active', 'transfer', null, lot.expiresAt);
      await rows.count({ transferred_in: d.points });
      return rows.entry('transfer-in', d.points, d.transferId, { fromMemberId: d.fromMemberId, lots: d.lots });
    }
    case 'MemberErased':
      return rows.scrubPersonalData();
    case 'TierChanged':
      return rows.setTier(event.data.to, event.data.reason === 'requalification' ? event.data.occurredAt : null);
    case 'PurchaseRecorded':
    case 'PurchaseRefunded':
    case 'ReferralQualified':
    case 'ActionRecorded':
      return;
  }
}

/** The row operations of one member event, all in the projector's transaction. */
class MemberRows {
  private readonly memberId: string;
  private readonly position: string;

  constructor(
    private readonly manager: EntityManager,
    private readonly recorded: RecordedEvent,
    private readonly S: string,
    private readonly personalData: PersonalDataReader,
  ) {
    this.memberId = String(recorded.data.memberId);
    this.position = recorded.position.toString();
  }

  async enrol(d: Extract<MemberEvent, { type: 'MemberEnrolled' }>['data']): Promise<void> {
    const person = d.personalData === null ? undefined : await this.personalData(this.memberId, d.personalData);
    await this.manager.query(
      `insert into ${this.S}.members (member_id, member_type, name, email, birth_date, referred_by, tier, tier_qualified_at, enrolled_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $8) on conflict (member_id) do nothing`,
      [this.memberId, d.memberType, person?.name ?? null, person?.email ?? null, person?.birthDate ?? null, d.referredBy, d.tier, d.occurredAt],
    );
    await this.manager.query(`insert into ${this.S}.member_balances (member_id, last_position) values ($1, $2) on conflict (member_id) do nothing`, [
      this.memberId,
      this.position,
    ]);
  }

  async insertLot(lotId: string, points: number, status: string, source: string, pendingUntil: string | null, expiresAt: string | null) {
    await this.manager.query(
      `insert into ${this.S}.member_lots (member_id, lot_id, points, remaining, status, source, pending_until, expires_at)
       values ($1, $2, $3, $3, $4, $5, $6, $7)`,
      [this.memberId, lotId, points, status, source, pendingUntil, expiresAt],
    );
  }

  async setLotStatus(lotId: string, status: string) {
    await this.manager.query(`update ${this.S}.member_lots set status = $3 where member_id = $1 and lot_id = $2`, [this.memberId, lotId, status]);
  }

  /** `restore` re-activates an expired lot that gets points back, as the domain does. */
  async changeLots(lots: readonly LotConsumption[], sign: 1 | -1, mode: 'keep' | 'expired' | 'restore' = 'keep') {
    for (const lot of lots) {
      const status = mode === 'expired' ? `'expired'` : mode === 'restore' ? `case when status = 'expired' then 'active' else status end` : 'status';
      await this.manager.query(
        `update ${this.S}.member_lots set remaining = remaining + $3, status = ${status} where member_id = $1 and lot_id = $2`,
        [this.memberId, lot.lotId, sign * lot.points],
      );
    }
  }

  /** Adds to the movement counters, then recomputes available and pending from the lots. */
  async count(deltas: Partial<Record<Counter, number>>) {
    const entries = Object.entries(deltas) as Array<[Counter, number]>;
    const sets = entries.map(([column], i) => `${column} = ${column} + $${i + 2}`);
    await this.manager.query(`update ${this.S}.member_balances set ${sets.join(', ')} where member_id = $1`, [
      this.memberId,
      ...entries.map(([, delta]) => delta),
    ]);
    await this.refresh();
  }

  async refresh() {
    await this.manager.query(
      `update ${this.S}.member_balances b set
         available = coalesce((select sum(remaining) from ${this.S}.member_lots l where l.member_id = b.member_id and l.status = 'active'), 0) - b.debt,
         pending = coalesce((select sum(remaining) from ${this.S}.member_lots l where l.member_id = b.member_id and l.status = 'pending'), 0),
         last_position = $2
       where b.member_id = $1`,
      [this.memberId, this.position],
    );
  }

  /** Crypto-shredding reaches the read models: the personal columns are scrubbed, the numbers stay. */
  async scrubPersonalData() {
    await this.manager.query(`update ${this.S}.members set name = null, email = null, birth_date = null where member_id = $1`, [this.memberId]);
  }

  async setTier(tier: string, requalifiedAt: string | null) {
    await this.manager.query(
      `update ${this.S}.members set tier = $2, tier_qualified_at = coalesce($3::timestamptz, tier_qualified_at) where member_id = $1`,
      [this.memberId, tier, requalifiedAt],
    );
  }

  async entry(type: string, points: number, reference: string, detail: Record<string, unknown>) {
    const { recorded } = this;
    await this.manager.query(
      `insert into ${this.S}.ledger_entries (entry_id, member_id, position, type, points, occurred_at, reference, detail)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [recorded.eventId, this.memberId, this.position, type, points, recorded.data.occurredAt, reference, JSON.stringify(detail)],
    );
  }
}
