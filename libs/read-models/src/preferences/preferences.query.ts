import { queryRows, RowsQuery } from '@loyalty/platform';
import { READ_MODEL_SCHEMA } from '../schema';
import { PREFERENCE_KINDS, PreferenceKind } from './preferences.projection';

/** How many categories and products each ranking shows. */
export const PREFERENCES_TOP = 5;

export interface Preference {
  readonly name: string;
  readonly spendMinor: number;
  readonly purchases: number;
  readonly units: number;
  readonly lastPurchasedAt: string;
}

export interface Ranking {
  readonly bySpend: readonly Preference[];
  readonly byFrequency: readonly Preference[];
}

export interface MemberPreferences {
  readonly categories: Ranking;
  readonly products: Ranking;
}

interface PreferenceRow {
  readonly kind: PreferenceKind;
  readonly ranking: 'spend' | 'frequency';
  readonly name: string;
  readonly spend_minor: string;
  readonly purchases: string;
  readonly units: string;
  readonly last_purchased_at: Date;
}

/** The member's top categories and products by spend and by number of purchases, ties by name; one round trip. */
export async function memberPreferences(db: RowsQuery, memberId: string): Promise<MemberPreferences> {
  const table = `${READ_MODEL_SCHEMA}.member_preferences`;
  const rows = await queryRows<PreferenceRow>(
    db,
    `select * from (
       select 'spend' as ranking, p.*, row_number() over (partition by kind order by spend_minor desc, purchases desc, name) as n
         from ${table} p where member_id = $1
       union all
       select 'frequency' as ranking, p.*, row_number() over (partition by kind order by purchases desc, spend_minor desc, name) as n
         from ${table} p where member_id = $1
     ) ranked where n <= $2 order by kind, ranking, n`,
    [memberId, PREFERENCES_TOP],
  );
  const ranking = (kind: PreferenceKind, by: PreferenceRow['ranking']) =>
    rows
      .filter((r) => r.kind === kind && r.ranking === by)
      .map((r) => ({
        name: r.name,
        spendMinor: Number(r.spend_minor),
        purchases: Number(r.purchases),
        units: Number(r.units),
        lastPurchasedAt: r.last_purchased_at.toISOString(),
      }));
  const [category, product] = PREFERENCE_KINDS;
  return {
    categories: { bySpend: ranking(category, 'spend'), byFrequency: ranking(category, 'frequency') },
    products: { bySpend: ranking(product, 'spend'), byFrequency: ranking(product, 'frequency') },
  };
}
