import { activitiesOf, birthdayBonusYearOf, decodeMemberEvent, isLotChange, LotEffect, lotEffects, MemberEvent } from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { READ_MODEL_SCHEMA } from '../schema';
import { composite, Projection } from '../projector/projection';
import { NO_PERSONAL_DATA, PersonalDataReader } from '../projector/personal-data-reader';
import { keyOf } from '../projector/row-sets';
import { ledgerEntriesProjectionIn } from './ledger-entries.projection';
import { LedgerRows, MemberRows } from './ledger-rows';

/**
 * Members, lots and balances. Lots change by the domain's lot effects of each
 * event and nothing else; the balance's available and pending are recomputed
 * from the lots after every change, so they cannot drift from them. Every key
 * comes from the event (lot ids from the event), so a replay yields the same rows.
 */
export const memberBalancesProjectionIn = (schema: string, personalData: PersonalDataReader = NO_PERSONAL_DATA): Projection => ({
  name: 'member-balances',
  async applyBatch(manager, events) {
    const member = events.flatMap((recorded) => {
      const event = decodeMemberEvent(recorded);
      return event ? [{ recorded, event, effects: lotEffects(event) }] : [];
    });
    if (member.length === 0) return;
    const memberIds = [...new Set(member.map((m) => String(m.recorded.data.memberId)))];
    const active = [...new Set(member.filter((m) => activitiesOf(m.event).length > 0).map((m) => String(m.recorded.data.memberId)))];
    const rows = await LedgerRows.load(manager, schema, memberIds, lotsToLoad(member), active);
    for (const { recorded, event, effects } of member) await project(rows.of(recorded), event, effects, personalData);
    await rows.save();
  },
});

/** The balance read model as a whole: members, lots, balances and their ledger entries. */
export const balancesProjectionIn = (schema: string, personalData: PersonalDataReader = NO_PERSONAL_DATA): Projection =>
  composite('balances', [memberBalancesProjectionIn(schema, personalData), ledgerEntriesProjectionIn(schema)]);

export const balancesProjection: Projection = balancesProjectionIn(READ_MODEL_SCHEMA);

/**
 * The stored lots the batch changes, each once. A lot the batch itself
 * inserted before changing it needs no lookup (the usual case in a member's
 * history); a lot inserted after a change to it was never stored, or the
 * insert fails on the duplicate, as it would event by event.
 */
function lotsToLoad(member: ReadonlyArray<{ recorded: RecordedEvent; effects: readonly LotEffect[] }>): Array<readonly [string, string]> {
  const inserted = new Set<string>();
  const keys = new Map<string, readonly [string, string]>();
  for (const { recorded, effects } of member) {
    const memberId = String(recorded.data.memberId);
    for (const effect of effects) {
      if (effect.kind === 'open') inserted.add(keyOf(memberId, effect.lot.lotId));
      else if (isLotChange(effect) && !inserted.has(keyOf(memberId, effect.lotId)))
        keys.set(keyOf(memberId, effect.lotId), [memberId, effect.lotId]);
    }
  }
  return [...keys.values()];
}

async function project(
  rows: MemberRows,
  event: MemberEvent,
  effects: readonly LotEffect[],
  personalData: PersonalDataReader,
): Promise<void> {
  const birthdayYear = birthdayBonusYearOf(event);
  if (birthdayYear !== undefined) rows.awardBirthday(birthdayYear);
  if (effects.length > 0) rows.apply(effects);
  // After the event's own effects, as in the member's state: a lot the event emptied keeps its deadline.
  rows.recordActivity(event);
  if (effects.length > 0) return;
  switch (event.type) {
    case 'MemberEnrolled': {
      const d = event.data;
      // Opened only for a member the batch has not seen enrolled: a repeated enrolment changes nothing.
      const person = d.personalData === null || rows.hasMember() ? undefined : await personalData(rows.memberId, d.personalData);
      return rows.enrol({
        memberType: d.memberType,
        name: person?.name ?? null,
        email: person?.email ?? null,
        birthDate: person?.birthDate ?? null,
        referredBy: d.referredBy,
        tier: d.tier,
        enrolledAt: d.occurredAt,
      });
    }
    case 'MemberErased':
      return rows.scrubPersonalData();
    case 'TierChanged':
      return rows.setTier(event.data.to, event.data.reason === 'requalification' ? event.data.occurredAt : null);
    default:
      return;
  }
}
