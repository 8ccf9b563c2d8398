import { EntityManager } from 'typeorm';
import {
  asMemberEvent,
  asSegmentDefinitionEvent,
  builtinSegments,
  DEFAULT_SEGMENT_THRESHOLDS,
  matchesCriterion,
  MEMBER_STREAM_PREFIX,
  MemberFacts,
  MemberEvent,
  SEGMENT_DEFINITIONS_STREAM_ID,
  SegmentCriterion,
  SegmentDefinitionEvent,
  SegmentThresholds,
} from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { Projection } from '../projector/projection';
import { NO_PERSONAL_DATA, PersonalDataReader } from '../projector/personal-data-reader';
import { READ_MODEL_SCHEMA } from '../schema';
import { criterionSql } from './criteria-sql';

/**
 * Segment membership with history. Time-based segments (new, at risk,
 * dormant, "last purchase N days ago") are evaluated as of the segment clock:
 * the latest occurredAt seen in the log so far, never the wall clock, so a
 * rebuild produces the same rows. A member is re-evaluated when its facts
 * change; everyone is re-evaluated when the clock enters a new UTC day or a
 * definition changes.
 */
export const segmentsProjectionIn = (schema: string, personalData: PersonalDataReader = NO_PERSONAL_DATA): Projection => ({
  name: 'segments',
  async apply(manager: EntityManager, recorded: RecordedEvent): Promise<void> {
    const member = recorded.streamId.startsWith(MEMBER_STREAM_PREFIX) ? asMemberEvent(recorded.type, recorded.data) : undefined;
    const definition = recorded.streamId === SEGMENT_DEFINITIONS_STREAM_ID ? asSegmentDefinitionEvent(recorded.type, recorded.data) : undefined;
    // Only events that change what criteria read move the clock: the others (accruals, activations, ...) cost nothing here.
    if (!definition && !(member && FACT_EVENTS.has(member.type))) return;
    const rows = new SegmentRows(manager, schema, recorded.position.toString(), personalData);
    const clock = await rows.advanceClock(String(recorded.data.occurredAt));
    if (definition) await rows.define(definition);
    else if (member) await rows.recordFacts(member);
    if (definition || clock.dayAdvanced) await rows.reconcileAll(clock.asOf);
    else if (member) await rows.reconcileMember(member.data.memberId, clock.asOf);
  },
});

/** The member events whose facts segment criteria read. */
const FACT_EVENTS: ReadonlySet<MemberEvent['type']> = new Set(['MemberEnrolled', 'PurchaseRecorded', 'PurchaseRefunded', 'PointsRedeemed', 'TierChanged', 'MemberErased']);

export const segmentsProjection = segmentsProjectionIn(READ_MODEL_SCHEMA);

const validDate = (value: string | undefined): string | null => {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return new Date(`${value}T00:00:00Z`).toISOString().startsWith(value) ? value : null;
};

class SegmentRows {
  constructor(
    private readonly manager: EntityManager,
    private readonly s: string,
    private readonly position: string,
    private readonly personalData: PersonalDataReader,
  ) {}

  /** The age band comes from the sealed birth date; an erased member has none. */
  private async birthDate(memberId: string, sealed: string | null): Promise<string | undefined> {
    return sealed === null ? undefined : (await this.personalData(memberId, sealed))?.birthDate;
  }

  private q(sql: string, params: unknown[] = []): Promise<any[]> {
    return this.manager.query(sql, params);
  }

  /**
   * The clock only moves forward; a backdated event is judged at the clock,
   * like every other member. One statement when it advances (the common case
   * live), because this runs for every member event inside the projector's batch.
   */
  async advanceClock(occurredAt: string): Promise<{ asOf: string; dayAdvanced: boolean }> {
    const result = await this.q(
      `update ${this.s}.segment_clock set as_of = $1::timestamptz, day = ($1::timestamptz at time zone 'UTC')::date, position = $2
       where id = 1 and as_of < $1::timestamptz
       returning as_of, day::text as day, (select c.day::text from ${this.s}.segment_clock c where c.id = 1) as previous_day`,
      [occurredAt, this.position],
    );
    // TypeORM answers an UPDATE with [rows, affected].
    const [advanced] = (Array.isArray(result[0]) ? result[0] : result) as Array<{ as_of: Date; day: string; previous_day: string }>;
    if (advanced) return { asOf: advanced.as_of.toISOString(), dayAdvanced: advanced.day !== advanced.previous_day };
    const [current] = await this.q(`select as_of from ${this.s}.segment_clock where id = 1`);
    if (current) return { asOf: (current.as_of as Date).toISOString(), dayAdvanced: false };
    const [created] = await this.q(
      `insert into ${this.s}.segment_clock (id, as_of, day, position) values (1, $1, ($1::timestamptz at time zone 'UTC')::date, $2) returning as_of`,
      [occurredAt, this.position],
    );
    await this.q(`insert into ${this.s}.segment_settings (id, thresholds) values (1, $1)`, [JSON.stringify(DEFAULT_SEGMENT_THRESHOLDS)]);
    await this.insertBuiltins(DEFAULT_SEGMENT_THRESHOLDS, occurredAt);
    return { asOf: (created.as_of as Date).toISOString(), dayAdvanced: false };
  }

  /** Returns whether a fact a criterion can read changed. */
  async recordFacts(event: MemberEvent): Promise<boolean> {
    const d = event.data;
    switch (event.type) {
      case 'MemberEnrolled':
        await this.q(
          `insert into ${this.s}.segment_members (member_id, member_type, enrolled_at, birth_date, tier) values ($1, $2, $3, $4, $5)
           on conflict (member_id) do nothing`,
          [d.memberId, event.data.memberType, d.occurredAt, validDate(await this.birthDate(d.memberId, event.data.personalData)), event.data.tier],
        );
        return true;
      case 'MemberErased':
        await this.q(`update ${this.s}.segment_members set birth_date = null where member_id = $1`, [d.memberId]);
        return true;
      case 'PurchaseRecorded': {
        const p = event.data;
        await this.q(
          `insert into ${this.s}.segment_purchases (member_id, transaction_id, occurred_at, amount_minor, store_id, skus, categories)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
          [p.memberId, p.transactionId, p.occurredAt, p.amountMinor, p.storeId, [...new Set(p.items.map((i) => i.sku))].sort(),
            [...new Set(p.items.flatMap((i) => (i.category ? [i.category] : [])))].sort()],
        );
        return true;
      }
      case 'PurchaseRefunded':
        await this.q(`update ${this.s}.segment_purchases set refunded_minor = refunded_minor + $3 where member_id = $1 and transaction_id = $2`, [
          d.memberId, event.data.transactionId, event.data.amountMinor,
        ]);
        return true;
      case 'PointsRedeemed':
        await this.q(`update ${this.s}.segment_members set last_redemption_at = greatest(last_redemption_at, $2::timestamptz) where member_id = $1`, [d.memberId, d.occurredAt]);
        return true;
      case 'TierChanged':
        await this.q(`update ${this.s}.segment_members set tier = $2 where member_id = $1`, [d.memberId, event.data.to]);
        return true;
      default:
        return false;
    }
  }

  async define(event: SegmentDefinitionEvent): Promise<void> {
    const d = event.data;
    switch (event.type) {
      case 'SegmentDefined':
        await this.q(
          `insert into ${this.s}.segment_definitions (name, kind, description, criteria, defined_at, position) values ($1, 'custom', $2, $3, $4, $5)
           on conflict (name) do update set description = excluded.description, criteria = excluded.criteria, defined_at = excluded.defined_at, position = excluded.position`,
          [event.data.name, event.data.description, JSON.stringify(event.data.criteria), d.occurredAt, this.position],
        );
        return;
      case 'SegmentRemoved':
        await this.q(`delete from ${this.s}.segment_definitions where name = $1 and kind = 'custom'`, [event.data.name]);
        return;
      case 'SegmentThresholdsChanged':
        await this.q(`update ${this.s}.segment_settings set thresholds = $1 where id = 1`, [JSON.stringify(event.data.thresholds)]);
        await this.q(`delete from ${this.s}.segment_definitions where kind = 'builtin'`);
        await this.insertBuiltins(event.data.thresholds, d.occurredAt);
        return;
    }
  }

  private async insertBuiltins(thresholds: SegmentThresholds, at: string): Promise<void> {
    const builtins = builtinSegments(thresholds);
    await this.q(
      `insert into ${this.s}.segment_definitions (name, kind, description, criteria, defined_at, position)
       select b.name, 'builtin', b.description, b.criteria::jsonb, $4, $5 from unnest($1::text[], $2::text[], $3::text[]) as b(name, description, criteria)
       on conflict (name) do nothing`,
      [builtins.map((b) => b.name), builtins.map((b) => b.description), builtins.map((b) => JSON.stringify(b.criteria)), at, this.position],
    );
  }

  /**
   * One member, with the domain's evaluator on the member's facts: a handful
   * of small statements, where the compiled SQL (about twenty predicates)
   * would cost more to plan than to run, inside the projector's transaction.
   * The projection test checks both evaluators agree.
   */
  async reconcileMember(memberId: string, asOf: string): Promise<void> {
    // One round trip for the member's facts, its current memberships and the definitions.
    const [row] = await this.q(
      `select m.member_type, m.enrolled_at, m.birth_date::text as birth_date, m.tier, m.last_redemption_at,
         (select coalesce(json_agg(json_build_object('occurredAt', p.occurred_at, 'amountMinor', p.amount_minor, 'refundedMinor', p.refunded_minor,
                   'storeId', p.store_id, 'skus', p.skus, 'categories', p.categories)), '[]')
            from ${this.s}.segment_purchases p where p.member_id = m.member_id) as purchases,
         (select coalesce(json_agg(c.segment), '[]') from ${this.s}.segment_memberships c where c.member_id = m.member_id and c.left_at is null) as current,
         (select json_agg(json_build_object('name', d.name, 'criteria', d.criteria)) from ${this.s}.segment_definitions d) as definitions
       from ${this.s}.segment_members m where m.member_id = $1`,
      [memberId],
    );
    if (!row) return;
    const facts: MemberFacts = {
      memberType: row.member_type,
      enrolledAt: (row.enrolled_at as Date).toISOString(),
      birthDate: row.birth_date,
      tier: row.tier,
      lastRedemptionAt: row.last_redemption_at ? (row.last_redemption_at as Date).toISOString() : null,
      purchases: (row.purchases as Array<Record<string, unknown>>).map((p) => ({
        occurredAt: new Date(String(p.occurredAt)).toISOString(),
        amountMinor: Number(p.amountMinor),
        refundedMinor: Number(p.refundedMinor),
        storeId: (p.storeId as string | null) ?? null,
        skus: p.skus as string[],
        categories: p.categories as string[],
      })),
    };
    const definitions = (row.definitions ?? []) as Array<{ name: string; criteria: SegmentCriterion }>;
    const desired = new Set(definitions.filter((d) => matchesCriterion(d.criteria, facts, asOf)).map((d) => d.name));
    const current = new Set(row.current as string[]);
    const entered = [...desired].filter((name) => !current.has(name)).sort();
    const departed = [...current].filter((name) => !desired.has(name)).sort();
    if (entered.length === 0 && departed.length === 0) return;
    // One statement for the history and the outbox: this runs inside the projector's batch, where round trips add up.
    await this.q(
      `with entered as (
         insert into ${this.s}.segment_memberships (segment, member_id, entered_at, entered_position)
         select unnest($1::text[]), $3, $4::timestamptz, $5::bigint returning segment),
       departed as (
         update ${this.s}.segment_memberships set left_at = $4::timestamptz, left_position = $5::bigint
         where member_id = $3 and left_at is null and segment = any($2::text[]) returning segment)
       insert into ${this.s}.segment_changes (position, segment, member_id, change, occurred_at)
       select $5::bigint, segment, $3, 'SegmentEntered', $4::timestamptz from entered
       union all
       select $5::bigint, segment, $3, 'SegmentLeft', $4::timestamptz from departed`,
      [entered, departed, memberId, asOf, this.position],
    );
  }

  /**
   * Every member at once, in one statement: the memberships that should hold,
   * diffed against the current ones; entries and exits go to the history and
   * to the outbox, dated at the clock.
   */
  async reconcileAll(asOf: string): Promise<void> {
    const definitions: Array<{ name: string; criteria: SegmentCriterion }> = await this.q(`select name, criteria from ${this.s}.segment_definitions order by name`);
    const desired = definitions.length
      ? definitions
          .map((d) => `select '${d.name.replace(/'/g, "''")}'::text as segment, f.member_id from ${this.s}.segment_members f where ${criterionSql(d.criteria, this.s)}`)
          .join('\nunion all\n')
      : 'select null::text as segment, null::text as member_id where false';
    const params: unknown[] = [asOf, this.position];
    await this.q(
      `with desired as (${desired}),
       entered as (
         insert into ${this.s}.segment_memberships (segment, member_id, entered_at, entered_position)
         select d.segment, d.member_id, $1::timestamptz, $2::bigint from desired d
         where not exists (select 1 from ${this.s}.segment_memberships m where m.segment = d.segment and m.member_id = d.member_id and m.left_at is null)
         returning segment, member_id),
       departed as (
         update ${this.s}.segment_memberships m set left_at = $1::timestamptz, left_position = $2::bigint
         where m.left_at is null
           and not exists (select 1 from desired d where d.segment = m.segment and d.member_id = m.member_id)
         returning segment, member_id)
       insert into ${this.s}.segment_changes (position, segment, member_id, change, occurred_at)
       select $2::bigint, segment, member_id, 'SegmentEntered', $1::timestamptz from entered
       union all
       select $2::bigint, segment, member_id, 'SegmentLeft', $1::timestamptz from departed`,
      params,
    );
  }
}
