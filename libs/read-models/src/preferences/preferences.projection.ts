import { decodeMemberEvent, PurchaseLine } from '@loyalty/domain';
import { Projection } from '../projector/projection';
import { READ_MODEL_SCHEMA } from '../schema';

export const PREFERENCE_KINDS = ['category', 'product'] as const;
export type PreferenceKind = (typeof PREFERENCE_KINDS)[number];

interface PreferenceDelta {
  member_id: string;
  kind: PreferenceKind;
  name: string;
  spend_minor: number;
  purchases: number;
  units: number;
  last_purchased_at: string;
}

/**
 * Taste, not money: a purchase's lines add their spend, units and one
 * purchase per category and product it contains; refunds name no lines and
 * take nothing back. A batch sums its purchases per row first, so one
 * statement adds each row's total once.
 */
export const preferencesProjectionIn = (schema: string): Projection => ({
  name: 'preferences',
  async applyBatch(manager, events) {
    const deltas = new Map<string, PreferenceDelta>();
    for (const recorded of events) {
      const event = decodeMemberEvent(recorded);
      if (event?.type !== 'PurchaseRecorded') continue;
      for (const delta of purchaseDeltas(event.data.memberId, event.data.items, event.data.occurredAt)) {
        const key = JSON.stringify([delta.member_id, delta.kind, delta.name]);
        const known = deltas.get(key);
        deltas.set(key, known ? merged(known, delta) : delta);
      }
    }
    if (deltas.size === 0) return;
    const table = `${schema}.member_preferences`;
    await manager.query(
      `insert into ${table} as t select * from json_populate_recordset(null::${table}, $1::json)
       on conflict (member_id, kind, name) do update
       set spend_minor = t.spend_minor + excluded.spend_minor, purchases = t.purchases + excluded.purchases,
           units = t.units + excluded.units, last_purchased_at = greatest(t.last_purchased_at, excluded.last_purchased_at)`,
      [JSON.stringify([...deltas.values()])],
    );
  },
});

function purchaseDeltas(memberId: string, items: readonly PurchaseLine[], occurredAt: string): PreferenceDelta[] {
  const byRow = new Map<string, PreferenceDelta>();
  const add = (kind: PreferenceKind, name: string, line: PurchaseLine) => {
    const key = `${kind}\u0000${name}`;
    const known = byRow.get(key);
    const spend = line.quantity * line.unitPriceMinor;
    if (known) byRow.set(key, { ...known, spend_minor: known.spend_minor + spend, units: known.units + line.quantity });
    else
      byRow.set(key, {
        member_id: memberId,
        kind,
        name,
        spend_minor: spend,
        purchases: 1,
        units: line.quantity,
        last_purchased_at: occurredAt,
      });
  };
  for (const line of items) {
    add('product', line.sku, line);
    if (line.category !== undefined) add('category', line.category, line);
  }
  return [...byRow.values()];
}

const merged = (a: PreferenceDelta, b: PreferenceDelta): PreferenceDelta => ({
  ...a,
  spend_minor: a.spend_minor + b.spend_minor,
  purchases: a.purchases + b.purchases,
  units: a.units + b.units,
  last_purchased_at: Date.parse(b.last_purchased_at) > Date.parse(a.last_purchased_at) ? b.last_purchased_at : a.last_purchased_at,
});

export const preferencesProjection = preferencesProjectionIn(READ_MODEL_SCHEMA);
