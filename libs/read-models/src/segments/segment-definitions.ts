import { EntityManager } from 'typeorm';
import { builtinSegments, DEFAULT_SEGMENT_THRESHOLDS, SegmentCriterion, SegmentDefinitionEvent, SegmentThresholds } from '@loyalty/domain';
import { criterionSql } from './criteria-sql';

export interface DefinitionRow {
  readonly name: string;
  readonly criteria: SegmentCriterion;
}

/** A membership entered or left by a reconciliation of every member. */
export interface MembershipChange {
  readonly member_id: string;
  readonly segment: string;
  readonly change: 'SegmentEntered' | 'SegmentLeft';
}

/**
 * The statements that concern every member at once, run in SQL where the
 * rows are: definitions, the first clock tick, and the reconciliation of
 * everyone when a definition changes or the clock enters a new day. They
 * are rare (the clock moves by days), so each is its own round trip.
 */
export class SegmentDefinitions {
  constructor(
    private readonly manager: EntityManager,
    private readonly s: string,
  ) {}

  async load(): Promise<DefinitionRow[]> {
    return this.manager.query(`select name, criteria from ${this.s}.segment_definitions order by name`);
  }

  /** The clock's first tick also brings the default thresholds and the built-in segments. */
  async startClock(occurredAt: string, position: string): Promise<void> {
    await this.manager.query(
      `insert into ${this.s}.segment_clock (id, as_of, day, position) values (1, $1, ($1::timestamptz at time zone 'UTC')::date, $2)`,
      [occurredAt, position],
    );
    await this.manager.query(`insert into ${this.s}.segment_settings (id, thresholds) values (1, $1)`, [
      JSON.stringify(DEFAULT_SEGMENT_THRESHOLDS),
    ]);
    await this.insertBuiltins(DEFAULT_SEGMENT_THRESHOLDS, occurredAt, position);
  }

  async define(event: SegmentDefinitionEvent, position: string): Promise<void> {
    const d = event.data;
    switch (event.type) {
      case 'SegmentDefined':
        await this.manager.query(
          `insert into ${this.s}.segment_definitions (name, kind, description, criteria, defined_at, position) values ($1, 'custom', $2, $3, $4, $5)
           on conflict (name) do update set description = excluded.description, criteria = excluded.criteria, defined_at = excluded.defined_at, position = excluded.position`,
          [event.data.name, event.data.description, JSON.stringify(event.data.criteria), d.occurredAt, position],
        );
        return;
      case 'SegmentRemoved':
        await this.manager.query(`delete from ${this.s}.segment_definitions where name = $1 and kind = 'custom'`, [event.data.name]);
        return;
      case 'SegmentThresholdsChanged':
        await this.manager.query(`update ${this.s}.segment_settings set thresholds = $1 where id = 1`, [
          JSON.stringify(event.data.thresholds),
        ]);
        await this.manager.query(`delete from ${this.s}.segment_definitions where kind = 'builtin'`);
        await this.insertBuiltins(event.data.thresholds, d.occurredAt, position);
        return;
    }
  }

  private async insertBuiltins(thresholds: SegmentThresholds, at: string, position: string): Promise<void> {
    const builtins = builtinSegments(thresholds);
    await this.manager.query(
      `insert into ${this.s}.segment_definitions (name, kind, description, criteria, defined_at, position)
       select b.name, 'builtin', b.description, b.criteria::jsonb, $4, $5 from unnest($1::text[], $2::text[], $3::text[]) as b(name, description, criteria)
       on conflict (name) do nothing`,
      [builtins.map((b) => b.name), builtins.map((b) => b.description), builtins.map((b) => JSON.stringify(b.criteria)), at, position],
    );
  }

  /**
   * Every member at once, in one statement: the memberships that should hold,
   * diffed against the current ones; entries and exits go to the history and
   * to the outbox, dated at the clock. Returns them, so a batch can keep its
   * members' memberships current without reloading them.
   */
  async reconcileAll(asOf: string, position: string): Promise<MembershipChange[]> {
    const definitions = await this.load();
    const desired = definitions.length
      ? definitions
          .map(
            (d) =>
              `select '${d.name.replace(/'/g, "''")}'::text as segment, f.member_id from ${this.s}.segment_members f where ${criterionSql(d.criteria, this.s)}`,
          )
          .join('\nunion all\n')
      : 'select null::text as segment, null::text as member_id where false';
    return this.manager.query(
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
       select $2::bigint, segment, member_id, 'SegmentLeft', $1::timestamptz from departed
       returning member_id, segment, change`,
      [asOf, position],
    );
  }
}
