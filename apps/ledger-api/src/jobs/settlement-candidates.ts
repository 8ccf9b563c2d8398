import { DataSource } from 'typeorm';
import { READ_MODEL_SCHEMA } from '@loyalty/read-models';

const S = READ_MODEL_SCHEMA;

/**
 * Members the daily job may have something to do for, as of an instant: a
 * pending lot past its window, an unexpired remainder past its expiry, a
 * birthday this year without its bonus lot, or a tier anniversary. The read
 * models are only an index here: the domain decides from the member's
 * stream, and anything the index has not caught up with is found next run.
 */
export async function settlementCandidates(db: DataSource, asOf: string, afterMemberId: string, limit: number): Promise<string[]> {
  const rows: Array<{ member_id: string }> = await db.query(
    `with params as (select $1::timestamptz as as_of, extract(year from $1::timestamptz at time zone 'UTC')::int as year)
     select m.member_id from ${S}.members m, params p
     where m.member_id > $2 and (
       exists (select 1 from ${S}.member_lots l where l.member_id = m.member_id and (
         (l.status = 'pending' and l.pending_until <= p.as_of) or (l.remaining > 0 and l.expires_at <= p.as_of)))
       or m.tier_qualified_at + interval '12 months' <= p.as_of
       or (m.birth_date is not null and m.enrolled_at <= p.as_of
           and ${S}.birthday_in(p.year, m.birth_date) <= (p.as_of at time zone 'UTC')::date
           and not exists (select 1 from ${S}.member_lots l where l.member_id = m.member_id and l.lot_id = 'birthday:' || p.year)))
     order by m.member_id limit $3`,
    [asOf, afterMemberId, limit],
  );
  return rows.map((r) => r.member_id);
}
