import { EntityManager } from 'typeorm';
import {
  criteriaEvaluatorAt,
  decodeMemberEvent,
  decodeSegmentDefinitionEvent,
  MemberEvent,
  SegmentDefinitionEvent,
  toMillis,
} from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { Projection } from '../projector/projection';
import { NO_PERSONAL_DATA, PersonalDataReader } from '../projector/personal-data-reader';
import { READ_MODEL_SCHEMA } from '../schema';
import { DefinitionRow, SegmentDefinitions } from './segment-definitions';
import { SegmentClock } from './segment-clock';
import { SegmentRows } from './segment-rows';

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
  async applyBatch(manager, events) {
    const relevant = events.flatMap((recorded): Relevant[] => {
      const member = decodeMemberEvent(recorded);
      const definition = decodeSegmentDefinitionEvent(recorded);
      // Only events that change what criteria read move the clock: the others (accruals, activations, ...) cost nothing here.
      if (definition) return [{ recorded, definition, member: undefined }];
      return member && FACT_EVENTS.has(member.type) ? [{ recorded, definition: undefined, member }] : [];
    });
    if (relevant.length === 0) return;
    await new SegmentBatch(manager, schema, personalData).apply(relevant);
  },
});

/** The member events whose facts segment criteria read. */
const FACT_EVENTS: ReadonlySet<MemberEvent['type']> = new Set([
  'MemberEnrolled',
  'PurchaseRecorded',
  'PurchaseRefunded',
  'PointsRedeemed',
  'TierChanged',
  'MemberErased',
]);

export const segmentsProjection = segmentsProjectionIn(READ_MODEL_SCHEMA);

type Relevant = { recorded: RecordedEvent } & (
  { definition: SegmentDefinitionEvent; member: undefined } | { definition: undefined; member: MemberEvent }
);

const validDate = (value: string | undefined): string | null => {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return new Date(`${value}T00:00:00Z`).toISOString().startsWith(value) ? value : null;
};

/** One batch: members' facts and memberships in memory, everyone's reconciliations in SQL between flushes. */
class SegmentBatch {
  private readonly sql: SegmentDefinitions;

  constructor(
    private readonly manager: EntityManager,
    private readonly s: string,
    private readonly personalData: PersonalDataReader,
  ) {
    this.sql = new SegmentDefinitions(manager, s);
  }

  async apply(relevant: readonly Relevant[]): Promise<void> {
    const memberIds = [...new Set(relevant.flatMap((r) => (r.member ? [r.member.data.memberId] : [])))];
    const rows = await SegmentRows.load(this.manager, this.s, memberIds);
    const clock = await SegmentClock.load(this.manager, this.s);
    let definitions = await this.sql.load();
    for (const { recorded, definition, member } of relevant) {
      const position = recorded.position.toString();
      const occurredAt = String(recorded.data.occurredAt);
      if (await clock.startIfNeeded(occurredAt, position, this.sql)) definitions = await this.sql.load();
      const { asOf, dayAdvanced } = clock.advance(occurredAt, position);
      if (member) await this.recordFacts(rows, member);
      if (definition || dayAdvanced) {
        // Everyone is reconciled in SQL, over tables that must first hold what this batch folded so far.
        await rows.flush();
        await clock.save();
        if (definition) await this.sql.define(definition, position);
        rows.applyReconciled(await this.sql.reconcileAll(asOf, position));
        if (definition) definitions = await this.sql.load();
      } else if (member) {
        reconcileMember(rows, definitions, member.data.memberId, asOf, position);
      }
    }
    await rows.flush();
    await clock.save();
  }

  private async recordFacts(rows: SegmentRows, event: MemberEvent): Promise<void> {
    const d = event.data;
    switch (event.type) {
      case 'MemberEnrolled': {
        if (rows.member(d.memberId)) return;
        const sealed = event.data.personalData;
        // The age band comes from the sealed birth date; an erased member has none.
        const birthDate = sealed === null ? undefined : (await this.personalData(d.memberId, sealed))?.birthDate;
        return rows.enrol({
          member_id: d.memberId,
          member_type: event.data.memberType,
          enrolled_at: d.occurredAt,
          birth_date: validDate(birthDate),
          tier: event.data.tier,
          last_redemption_at: null,
        });
      }
      case 'MemberErased':
        return rows.updateMember(d.memberId, (row) => void (row.birth_date = null));
      case 'PurchaseRecorded': {
        const p = event.data;
        return rows.recordPurchase({
          member_id: p.memberId,
          transaction_id: p.transactionId,
          occurred_at: p.occurredAt,
          amount_minor: p.amountMinor,
          refunded_minor: 0,
          store_id: p.storeId,
          skus: [...new Set(p.items.map((i) => i.sku))].sort(),
          categories: [...new Set(p.items.flatMap((i) => (i.category ? [i.category] : [])))].sort(),
        });
      }
      case 'PurchaseRefunded':
        return rows.refund(d.memberId, event.data.transactionId, event.data.amountMinor);
      case 'PointsRedeemed':
        return rows.updateMember(d.memberId, (row) => {
          if (row.last_redemption_at === null || toMillis(d.occurredAt) > toMillis(row.last_redemption_at))
            row.last_redemption_at = d.occurredAt;
        });
      case 'TierChanged':
        return rows.updateMember(d.memberId, (row) => void (row.tier = event.data.to));
      default:
        return;
    }
  }
}

/** One member at one event, with the evaluator on the member's facts as folded so far. */
function reconcileMember(rows: SegmentRows, definitions: readonly DefinitionRow[], memberId: string, asOf: string, position: string): void {
  const facts = rows.facts(memberId);
  if (!facts) return;
  const matches = criteriaEvaluatorAt(asOf);
  const desired = new Set(definitions.filter((d) => matches(d.criteria, facts)).map((d) => d.name));
  const current = rows.current(memberId);
  const entered = [...desired].filter((name) => !current.has(name)).sort();
  const departed = [...current].filter((name) => !desired.has(name)).sort();
  if (entered.length > 0 || departed.length > 0) rows.reconcile(memberId, entered, departed, asOf, position);
}
