import { EntityManager } from 'typeorm';
import {
  activitiesOf,
  deadlineAfterActivity,
  InactivityRule,
  LotEffect,
  lotAfter,
  lotDueAt,
  LotStatus,
  MemberEvent,
  memberDue,
  MovementName,
  OpenedLot,
} from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { insertRows, integer, keyOf, loadRows, updateRows } from '../projector/row-sets';

/** Column names as in schema.ts: rows load and save whole, as JSON. */
interface MemberRowJson {
  member_id: string;
  member_type: string;
  name: string | null;
  email: string | null;
  birth_date: string | null;
  referred_by: string | null;
  tier: string | null;
  tier_qualified_at: string;
  enrolled_at: string;
  last_birthday_year: number | null;
  requalification_due_at: string | null;
  birthday_due_at: string | null;
}
interface BalanceRowJson {
  member_id: string;
  available: number;
  pending: number;
  lifetime_earned: number;
  redeemed: number;
  expired: number;
  clawed_back: number;
  adjusted: number;
  transferred_in: number;
  transferred_out: number;
  debt: number;
  last_position: number | string;
}
interface LotRowJson {
  member_id: string;
  lot_id: string;
  points: number;
  remaining: number;
  status: LotStatus;
  source: string;
  pending_until: string | null;
  expires_at: string | null;
  due_at: string | null;
  inactivity: InactivityRule | null;
}

type Counter = 'lifetime_earned' | 'redeemed' | 'expired' | 'clawed_back' | 'adjusted' | 'transferred_in' | 'transferred_out' | 'debt';
/** The balance column that counts each of the domain's movements. */
const COUNTER_OF: Record<MovementName, Counter> = {
  issued: 'lifetime_earned',
  redeemed: 'redeemed',
  expired: 'expired',
  clawedBack: 'clawed_back',
  adjusted: 'adjusted',
  transferredIn: 'transferred_in',
  transferredOut: 'transferred_out',
};
export interface NewMember {
  readonly memberType: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly birthDate: string | null;
  readonly referredBy: string | null;
  readonly tier: string | null;
  readonly enrolledAt: string;
}

/** Remaining points of a member's active and pending lots: what available and pending are recomputed from. */
interface LotSums {
  active: number;
  pending: number;
}

/**
 * The member, balance and lot rows a batch touches, loaded once and folded
 * in memory with the same rules the per-event SQL had: an update of a row
 * that does not exist changes nothing, lot inserts are plain inserts (a
 * duplicate lot fails the batch, as it always did).
 *
 * Due instants for the daily settlement are kept where the batch can compute
 * them from the rows it holds: each lot's own (the domain's lotDueAt) on the
 * lot, and the member's requalification and birthday bonus (memberDue) on
 * the member. A member-wide minimum would need every lot of the member, not
 * only those the batch touches; the job asks "any lot due, or the member
 * due" instead, which the indexes on these columns answer.
 */
export class LedgerRows {
  private readonly members = new Map<string, MemberRowJson>();
  private readonly balances = new Map<string, BalanceRowJson>();
  private readonly lots = new Map<string, LotRowJson>();
  private readonly sums = new Map<string, LotSums>();
  /** Rows this batch created (inserted whole at the end) and loaded rows it changed (updated). */
  private readonly newMembers = new Set<string>();
  private readonly changedMembers = new Set<string>();
  private readonly newBalances = new Set<string>();
  private readonly changedBalances = new Set<string>();
  private readonly insertedLots = new Set<string>();
  private readonly changedLots = new Set<string>();

  private constructor(
    private readonly manager: EntityManager,
    private readonly s: string,
  ) {}

  /**
   * Three queries whatever the batch size: member rows, balances (which carry the lot sums), and the lots the events name;
   * a fifth for the lots an activity may move (those under an inactivity rule with points left) of `activeMemberIds`.
   */
  static async load(
    manager: EntityManager,
    s: string,
    memberIds: readonly string[],
    lotKeys: ReadonlyArray<readonly [string, string]>,
    activeMemberIds: readonly string[] = [],
  ): Promise<LedgerRows> {
    const rows = new LedgerRows(manager, s);
    const ids = [memberIds];
    for (const m of await loadRows<MemberRowJson>(manager, `${s}.members`, 'member_id = any($1::text[])', ids))
      rows.members.set(m.member_id, m);
    for (const b of await loadRows<BalanceRowJson>(manager, `${s}.member_balances`, 'member_id = any($1::text[])', ids))
      rows.balances.set(b.member_id, b);
    if (lotKeys.length > 0) {
      // One primary-key lookup per named lot (a subquery per key): a join would hash the whole, growing table.
      const found: Array<{ row: LotRowJson | null }> = await manager.query(
        `select (select to_json(l) from ${s}.member_lots l where l.member_id = k.member_id and l.lot_id = k.lot_id) as row
         from unnest($1::text[], $2::text[]) as k(member_id, lot_id)`,
        [lotKeys.map(([m]) => m), lotKeys.map(([, l]) => l)],
      );
      for (const { row } of found) if (row) rows.lots.set(keyOf(row.member_id, row.lot_id), { ...row, remaining: integer(row.remaining) });
    }
    if (activeMemberIds.length > 0) {
      const where = 'member_id = any($1::text[]) and inactivity is not null and remaining > 0';
      for (const row of await loadRows<LotRowJson>(manager, `${s}.member_lots`, where, [activeMemberIds])) {
        const key = keyOf(row.member_id, row.lot_id);
        if (!rows.lots.has(key)) rows.lots.set(key, { ...row, remaining: integer(row.remaining) });
      }
    }
    // The balance row holds the sums as of the last event (available is active less debt): no pass over the member's lots.
    for (const m of memberIds) {
      const balance = rows.balances.get(m);
      rows.sums.set(m, balance ? lotSumsOf(balance) : { active: 0, pending: 0 });
    }
    return rows;
  }

  /** One statement per table and kind of write; lots changed after they were stored only change remaining, status and due_at. */
  async save(): Promise<void> {
    const { manager, s } = this;
    const changed = <T>(keys: Set<string>, created: Set<string>, rows: Map<string, T>) =>
      [...keys].filter((k) => !created.has(k)).map((k) => rows.get(k)!);
    await insertRows(
      manager,
      `${s}.members`,
      [...this.newMembers].map((id) => this.members.get(id)!),
    );
    await updateRows(manager, `${s}.members`, ['member_id'], changed(this.changedMembers, this.newMembers, this.members));
    await insertRows(
      manager,
      `${s}.member_balances`,
      [...this.newBalances].map((id) => this.balances.get(id)!),
    );
    await updateRows(manager, `${s}.member_balances`, ['member_id'], changed(this.changedBalances, this.newBalances, this.balances));
    await insertRows(
      manager,
      `${s}.member_lots`,
      [...this.insertedLots].map((k) => this.lots.get(k)!),
    );
    const lots = changed(this.changedLots, this.insertedLots, this.lots).map(
      ({ member_id, lot_id, remaining, status, expires_at, due_at }) => ({
        member_id,
        lot_id,
        remaining,
        status,
        expires_at,
        due_at,
      }),
    );
    await updateRows(manager, `${s}.member_lots`, ['member_id', 'lot_id'], lots);
  }

  /** The row operations of one event, applied in memory. */
  of(recorded: RecordedEvent): MemberRows {
    return new MemberRows(this, String(recorded.data.memberId), recorded);
  }

  enrol(memberId: string, m: NewMember, position: string): void {
    if (!this.members.has(memberId)) {
      const row: MemberRowJson = {
        member_id: memberId,
        member_type: m.memberType,
        name: m.name,
        email: m.email,
        birth_date: m.birthDate,
        referred_by: m.referredBy,
        tier: m.tier,
        tier_qualified_at: m.enrolledAt,
        enrolled_at: m.enrolledAt,
        last_birthday_year: null,
        requalification_due_at: null,
        birthday_due_at: null,
      };
      this.members.set(memberId, withMemberDue(row));
      this.newMembers.add(memberId);
    }
    if (!this.balances.has(memberId)) {
      this.balances.set(memberId, {
        member_id: memberId,
        available: 0,
        pending: 0,
        lifetime_earned: 0,
        redeemed: 0,
        expired: 0,
        clawed_back: 0,
        adjusted: 0,
        transferred_in: 0,
        transferred_out: 0,
        debt: 0,
        last_position: position,
      });
      this.newBalances.add(memberId);
    }
  }

  hasMember(memberId: string): boolean {
    return this.members.has(memberId);
  }

  updateMember(memberId: string, change: (row: MemberRowJson) => void): void {
    const row = this.members.get(memberId);
    if (!row) return;
    change(row);
    withMemberDue(row);
    this.changedMembers.add(memberId);
  }

  insertLot(lot: LotRowJson): void {
    const key = keyOf(lot.member_id, lot.lot_id);
    if (this.lots.has(key)) throw new Error(`lot ${lot.lot_id} of member ${lot.member_id} already exists`);
    this.lots.set(key, withLotDue(lot));
    this.insertedLots.add(key);
    this.account(lot, 1);
  }

  /** The member's lots this batch holds that an activity may move: under an inactivity rule, with points left. */
  inactivityLotIds(memberId: string): string[] {
    return [...this.lots.values()].filter((l) => l.member_id === memberId && l.inactivity !== null && l.remaining > 0).map((l) => l.lot_id);
  }

  lotOf(memberId: string, lotId: string): LotRowJson | undefined {
    return this.lots.get(keyOf(memberId, lotId));
  }

  updateLot(memberId: string, lotId: string, change: (lot: LotRowJson) => void): void {
    const key = keyOf(memberId, lotId);
    const lot = this.lots.get(key);
    if (!lot) return;
    this.account(lot, -1);
    change(lot);
    withLotDue(lot);
    this.account(lot, 1);
    this.changedLots.add(key);
  }

  /** Adds to the movement counters, then recomputes available and pending from the lots. */
  count(memberId: string, deltas: Partial<Record<Counter, number>>, position: string): void {
    const balance = this.balances.get(memberId);
    if (!balance) return;
    for (const [column, delta] of Object.entries(deltas) as Array<[Counter, number]>) balance[column] = integer(balance[column]) + delta;
    this.refresh(memberId, position);
  }

  private refresh(memberId: string, position: string): void {
    const balance = this.balances.get(memberId);
    if (!balance) return;
    const sums = this.sums.get(memberId)!;
    balance.available = sums.active - integer(balance.debt);
    balance.pending = sums.pending;
    balance.last_position = position;
    this.changedBalances.add(memberId);
  }

  private account(lot: LotRowJson, sign: 1 | -1): void {
    const sums = this.sums.get(lot.member_id);
    if (!sums) throw new Error(`member ${lot.member_id} was not loaded with its batch`);
    if (lot.status === 'active') sums.active += sign * lot.remaining;
    else if (lot.status === 'pending') sums.pending += sign * lot.remaining;
  }
}

/** What `refresh` wrote: available is the active lots' remaining points less the debt, pending the pending lots'. */
function lotSumsOf(balance: BalanceRowJson): LotSums {
  return { active: integer(balance.available) + integer(balance.debt), pending: integer(balance.pending) };
}

/** The member's own due instants as the row now stands: every write of a member row goes through here. */
function withMemberDue(row: MemberRowJson): MemberRowJson {
  const due = memberDue({
    enrolledAt: row.enrolled_at,
    tierQualifiedAt: row.tier_qualified_at,
    birthDate: row.birth_date,
    lastBirthdayYear: row.last_birthday_year,
  });
  return Object.assign(row, { requalification_due_at: due.requalificationAt, birthday_due_at: due.birthdayBonusAt });
}

/** The lot's due instant as the row now stands: every write of a lot row goes through here. */
function withLotDue(lot: LotRowJson): LotRowJson {
  lot.due_at = lotDueAt({ status: lot.status, remaining: lot.remaining, pendingUntil: lot.pending_until, expiresAt: lot.expires_at });
  return lot;
}

/** One event's view of the batch's rows: the member and position every operation needs. */
export class MemberRows {
  private readonly position: string;

  constructor(
    private readonly rows: LedgerRows,
    readonly memberId: string,
    recorded: RecordedEvent,
  ) {
    this.position = recorded.position.toString();
  }

  hasMember(): boolean {
    return this.rows.hasMember(this.memberId);
  }

  enrol(m: NewMember): void {
    this.rows.enrol(this.memberId, m, this.position);
  }

  /** An event's lot effects on the rows, then its counters, with available and pending recomputed even when none moved. */
  apply(effects: readonly LotEffect[]): void {
    const counts: Partial<Record<Counter, number>> = {};
    const add = (counter: Counter, delta: number) => void (counts[counter] = (counts[counter] ?? 0) + delta);
    for (const effect of effects) {
      switch (effect.kind) {
        case 'open':
          this.insertLot(effect.lot);
          break;
        case 'debt':
          add('debt', effect.delta);
          break;
        case 'movement':
          add(COUNTER_OF[effect.movement], effect.delta);
          break;
        default:
          this.rows.updateLot(this.memberId, effect.lotId, (lot) => Object.assign(lot, lotAfter(lot, effect)));
      }
    }
    this.rows.count(this.memberId, counts, this.position);
  }

  private insertLot(lot: OpenedLot): void {
    this.rows.insertLot({
      member_id: this.memberId,
      lot_id: lot.lotId,
      points: lot.points,
      remaining: lot.points,
      status: lot.status,
      source: lot.source,
      pending_until: lot.pendingUntil,
      expires_at: lot.expiresAt,
      due_at: null,
      inactivity: lot.inactivity ?? null,
    });
  }

  /** An activity moves the deadlines of the member's lots under an inactivity rule, as the domain's lotsAfterActivity does. */
  recordActivity(event: MemberEvent): void {
    const activities = activitiesOf(event);
    if (activities.length === 0) return;
    for (const lotId of this.rows.inactivityLotIds(this.memberId)) {
      const lot = this.rows.lotOf(this.memberId, lotId)!;
      const rule = lot.inactivity ?? undefined;
      const expiresAt = activities.reduce((at, a) => deadlineAfterActivity(at, rule, a, event.data.occurredAt), lot.expires_at);
      if (expiresAt !== lot.expires_at) this.rows.updateLot(this.memberId, lotId, (row) => void (row.expires_at = expiresAt));
    }
  }

  /** Awarded years only move on: a backdated run's bonus for an earlier year leaves the next one where it was. */
  awardBirthday(year: number): void {
    this.rows.updateMember(this.memberId, (row) => {
      row.last_birthday_year = Math.max(row.last_birthday_year ?? year, year);
    });
  }

  /** Crypto-shredding reaches the read models: the personal columns are scrubbed, the numbers stay. */
  scrubPersonalData(): void {
    this.rows.updateMember(this.memberId, (row) => Object.assign(row, { name: null, email: null, birth_date: null }));
  }

  setTier(tier: string, requalifiedAt: string | null): void {
    this.rows.updateMember(this.memberId, (row) => Object.assign(row, { tier, tier_qualified_at: requalifiedAt ?? row.tier_qualified_at }));
  }
}
