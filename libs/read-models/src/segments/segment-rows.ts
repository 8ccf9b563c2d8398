import { EntityManager } from 'typeorm';
import { MemberFacts, memberFacts, MemberTypeName, purchaseFact, PurchaseFact } from '@loyalty/domain';
import { insertRows, integer, keyOf, loadRows, updateRows } from '../projector/row-sets';
import { MembershipChange } from './segment-definitions';

/** Column names as in segments.ddl.ts. */
export interface SegmentMemberJson {
  member_id: string;
  member_type: MemberTypeName;
  enrolled_at: string;
  birth_date: string | null;
  tier: string | null;
  last_redemption_at: string | null;
}
export interface PurchaseJson {
  member_id: string;
  transaction_id: string;
  occurred_at: string;
  amount_minor: number;
  refunded_minor: number;
  store_id: string | null;
  skus: string[];
  categories: string[];
}
interface MembershipJson {
  segment: string;
  member_id: string;
  entered_at: string;
  entered_position: string;
  left_at: string | null;
  left_position: string | null;
}
interface ChangeJson {
  position: string;
  segment: string;
  member_id: string;
  change: MembershipChange['change'];
  occurred_at: string;
}

/** A purchase's row and where its fact sits in the member's list of facts. */
interface HeldPurchase {
  readonly row: PurchaseJson;
  readonly index: number;
}

/** One member's facts and current memberships, as the batch has folded them so far. */
interface HeldMember {
  row: SegmentMemberJson | undefined;
  /** The facts the evaluator reads, built again when the row changes; they hold purchaseFacts itself, not a copy. */
  facts: MemberFacts | undefined;
  readonly purchases: Map<string, HeldPurchase>;
  /** The purchases' facts, each parsed once when it is loaded, recorded or refunded. */
  readonly purchaseFacts: PurchaseFact[];
  readonly current: Set<string>;
}

/**
 * The segment facts and memberships of a batch's members, loaded once and
 * folded in memory. `flush` writes what changed (before a reconciliation of
 * every member reads the tables, and at the end of the batch) and keeps the
 * members held, so the rest of the batch goes on from memory.
 */
export class SegmentRows {
  private readonly members = new Map<string, HeldMember>();
  /** Rows created since the last flush (inserted whole) and stored rows changed since (updated). */
  private readonly newMembers = new Set<string>();
  private readonly changedMembers = new Set<string>();
  private readonly newPurchases = new Map<string, PurchaseJson>();
  private readonly changedPurchases = new Map<string, PurchaseJson>();
  /** Memberships entered since the last flush, still open ones findable by segment and member. */
  private readonly entered: MembershipJson[] = [];
  private readonly open = new Map<string, MembershipJson>();
  private readonly left: Array<Pick<MembershipJson, 'segment' | 'member_id' | 'left_at' | 'left_position'>> = [];
  private readonly changes: ChangeJson[] = [];

  private constructor(
    private readonly manager: EntityManager,
    private readonly s: string,
  ) {}

  /** Three queries: the members' facts rows, their purchases, their current memberships. */
  static async load(manager: EntityManager, s: string, memberIds: readonly string[]): Promise<SegmentRows> {
    const rows = new SegmentRows(manager, s);
    for (const id of memberIds)
      rows.members.set(id, { row: undefined, facts: undefined, purchases: new Map(), purchaseFacts: [], current: new Set() });
    if (memberIds.length === 0) return rows;
    const where = 'member_id = any($1::text[])';
    for (const m of await loadRows<SegmentMemberJson>(manager, `${s}.segment_members`, where, [memberIds]))
      rows.members.get(m.member_id)!.row = m;
    for (const p of await loadRows<PurchaseJson>(manager, `${s}.segment_purchases`, where, [memberIds])) rows.hold(p);
    const current: Array<{ member_id: string; segment: string }> = await manager.query(
      `select member_id, segment from ${s}.segment_memberships where ${where} and left_at is null`,
      [memberIds],
    );
    for (const m of current) rows.members.get(m.member_id)!.current.add(m.segment);
    return rows;
  }

  member(memberId: string): SegmentMemberJson | undefined {
    return this.held(memberId).row;
  }

  /** Inserts the member's facts row, or changes nothing when it exists. */
  enrol(row: SegmentMemberJson): void {
    const held = this.held(row.member_id);
    if (held.row) return;
    held.row = row;
    this.newMembers.add(row.member_id);
  }

  /** Changes the member's facts row, if there is one. */
  updateMember(memberId: string, change: (row: SegmentMemberJson) => void): void {
    const held = this.held(memberId);
    if (!held.row) return;
    change(held.row);
    held.facts = undefined;
    this.changedMembers.add(memberId);
  }

  /** Inserts a purchase, or changes nothing when the member already has one with this transaction id. */
  recordPurchase(row: PurchaseJson): void {
    if (this.held(row.member_id).purchases.has(row.transaction_id)) return;
    this.hold(row);
    this.newPurchases.set(keyOf(row.member_id, row.transaction_id), row);
  }

  refund(memberId: string, transactionId: string, amountMinor: number): void {
    const held = this.held(memberId);
    const purchase = held.purchases.get(transactionId);
    if (!purchase) return;
    purchase.row.refunded_minor = integer(purchase.row.refunded_minor) + amountMinor;
    held.purchaseFacts[purchase.index] = factOf(purchase.row);
    const key = keyOf(memberId, transactionId);
    if (!this.newPurchases.has(key)) this.changedPurchases.set(key, purchase.row);
  }

  /** What the evaluator reads; undefined for a member without a facts row (never enrolled). */
  facts(memberId: string): MemberFacts | undefined {
    const held = this.held(memberId);
    const { row } = held;
    if (!row) return undefined;
    held.facts ??= memberFacts(
      {
        memberType: row.member_type,
        enrolledAt: row.enrolled_at,
        birthDate: row.birth_date,
        tier: row.tier,
        lastRedemptionAt: row.last_redemption_at,
      },
      held.purchaseFacts,
    );
    return held.facts;
  }

  current(memberId: string): ReadonlySet<string> {
    return this.held(memberId).current;
  }

  /** Records a member's entries and exits at one event, for the history and the outbox. */
  reconcile(memberId: string, entered: readonly string[], departed: readonly string[], asOf: string, position: string): void {
    const { current } = this.held(memberId);
    for (const segment of entered) {
      const membership: MembershipJson = {
        segment,
        member_id: memberId,
        entered_at: asOf,
        entered_position: position,
        left_at: null,
        left_position: null,
      };
      this.entered.push(membership);
      this.open.set(keyOf(segment, memberId), membership);
      current.add(segment);
    }
    for (const segment of departed) {
      const key = keyOf(segment, memberId);
      const membership = this.open.get(key);
      if (membership) Object.assign(membership, { left_at: asOf, left_position: position });
      else this.left.push({ segment, member_id: memberId, left_at: asOf, left_position: position });
      this.open.delete(key);
      current.delete(segment);
    }
    const change = (segment: string, kind: ChangeJson['change']) => ({
      position,
      segment,
      member_id: memberId,
      change: kind,
      occurred_at: asOf,
    });
    this.changes.push(...entered.map((s) => change(s, 'SegmentEntered')), ...departed.map((s) => change(s, 'SegmentLeft')));
  }

  /** Keeps held members current after a reconciliation of every member wrote to the tables. */
  applyReconciled(changes: readonly MembershipChange[]): void {
    for (const c of changes) {
      const current = this.members.get(c.member_id)?.current;
      if (c.change === 'SegmentEntered') current?.add(c.segment);
      else current?.delete(c.segment);
    }
  }

  /**
   * Exits of memberships opened before this flush go first: the partial
   * unique index allows one open membership per segment and member, and a
   * member may leave and re-enter a segment within one batch.
   */
  async flush(): Promise<void> {
    const { manager, s } = this;
    const row = (id: string) => this.members.get(id)!.row!;
    await insertRows(manager, `${s}.segment_members`, [...this.newMembers].map(row));
    await updateRows(
      manager,
      `${s}.segment_members`,
      ['member_id'],
      [...this.changedMembers].filter((id) => !this.newMembers.has(id)).map(row),
    );
    await insertRows(manager, `${s}.segment_purchases`, [...this.newPurchases.values()]);
    await updateRows(manager, `${s}.segment_purchases`, ['member_id', 'transaction_id'], [...this.changedPurchases.values()]);
    if (this.left.length > 0) {
      await manager.query(
        `update ${s}.segment_memberships m set left_at = l.left_at, left_position = l.left_position
         from json_to_recordset($1::json) as l(segment text, member_id text, left_at timestamptz, left_position bigint)
         where m.segment = l.segment and m.member_id = l.member_id and m.left_at is null`,
        [JSON.stringify(this.left)],
      );
    }
    await insertRows(manager, `${s}.segment_memberships`, this.entered);
    await insertRows(manager, `${s}.segment_changes`, this.changes);
    this.newMembers.clear();
    this.changedMembers.clear();
    this.newPurchases.clear();
    this.changedPurchases.clear();
    this.entered.length = 0;
    this.open.clear();
    this.left.length = 0;
    this.changes.length = 0;
  }

  private held(memberId: string): HeldMember {
    const held = this.members.get(memberId);
    if (!held) throw new Error(`member ${memberId} was not loaded with its batch`);
    return held;
  }

  private hold(row: PurchaseJson): void {
    const held = this.held(row.member_id);
    held.purchases.set(row.transaction_id, { row, index: held.purchaseFacts.length });
    held.purchaseFacts.push(factOf(row));
  }
}

const factOf = (row: PurchaseJson): PurchaseFact =>
  purchaseFact({
    occurredAt: row.occurred_at,
    amountMinor: integer(row.amount_minor),
    refundedMinor: integer(row.refunded_minor),
    storeId: row.store_id,
    skus: row.skus,
    categories: row.categories,
  });
