import { DataSource } from 'typeorm';
import { awardsBirthdayBonus, ProgramPolicy, requalifiesTiers, statusEndDue } from '@loyalty/domain';
import { READ_MODEL_SCHEMA } from '@loyalty/read-models';

const S = READ_MODEL_SCHEMA;

/**
 * Members the daily job has something to do for, as of an instant: a lot
 * or the member itself (requalification, birthday bonus, a tier status
 * end: tiers/qualification.ts statusEndDue) due by then, by
 * the due instants the domain computed and the balance projection keeps.
 * Those the program does not do are left out, or a member would stay due
 * for ever. The read models are only an index here: the domain decides
 * from the member's stream, and anything the index has not caught up with
 * is found next run.
 */
export async function settlementCandidates(
  db: DataSource,
  policy: ProgramPolicy,
  asOf: string,
  afterMemberId: string,
  limit: number,
): Promise<string[]> {
  // A program without a tier policy keeps its yearly review on members.requalification_due_at; a held tier has no review.
  const tierDue = policy.tierPolicy ? statusEndDue(policy, asOf) : null;
  const rows: Array<{ member_id: string }> = await db.query(
    `select member_id from (
       select member_id from ${S}.member_lots where due_at <= $1
       union select member_id from ${S}.members m where $4 and requalification_due_at <= $1
         and not exists (select from ${S}.member_tier_standing h where h.member_id = m.member_id and h.held)
       union select member_id from ${S}.members where $5 and birthday_due_at <= $1
       union select member_id from ${S}.member_memberships where not lapsed and period_end <= $1
       union select member_id from ${S}.coupons where status = 'active' and expires_at <= $1
       union select member_id from ${S}.member_tier_standing where held and held_until <= $1
       union select member_id from ${S}.member_tier_standing where not held and tier_qualified_at <= $6::timestamptz
       union select member_id from ${S}.member_tier_standing
         where not held and tier_reached_at <= $7::timestamptz and tier is distinct from $8::text
     ) due where member_id > $2 order by member_id limit $3`,
    [
      asOf,
      afterMemberId,
      limit,
      requalifiesTiers(policy) && !policy.tierPolicy,
      awardsBirthdayBonus(policy),
      tierDue?.qualifiedAtOrBefore ?? null,
      tierDue?.reachedAtOrBefore ?? null,
      tierDue?.exceptTier ?? null,
    ],
  );
  return rows.map((r) => r.member_id);
}
