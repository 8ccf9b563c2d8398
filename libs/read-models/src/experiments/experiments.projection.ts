import { EntityManager } from 'typeorm';
import {
  decodeMemberEvent,
  decodeProgramEvent,
  ExperimentVariant,
  MemberEvent,
  ProgramConfigured,
  toMillis,
  variantOf,
} from '@loyalty/domain';
import { Projection } from '../projector/projection';
import { keyOf } from '../projector/row-sets';
import { READ_MODEL_SCHEMA } from '../schema';

interface Deltas {
  readonly purchases: number;
  readonly revenueMinor: number;
  readonly pointsIssued: number;
  readonly pointsRedeemed: number;
}

const NONE: Deltas = { purchases: 0, revenueMinor: 0, pointsIssued: 0, pointsRedeemed: 0 };

function deltasOf(event: MemberEvent): Deltas {
  switch (event.type) {
    case 'PurchaseRecorded':
      return { ...NONE, purchases: 1, revenueMinor: event.data.amountMinor };
    case 'PointsAccrued':
      return { ...NONE, pointsIssued: event.data.points };
    case 'PointsRedeemed':
      return { ...NONE, pointsRedeemed: event.data.points };
    case 'RedemptionReversed':
      return { ...NONE, pointsRedeemed: -event.data.points };
    default:
      return NONE;
  }
}

interface Running {
  readonly startsMs: number;
  readonly endsMs: number | null;
  readonly variants: ExperimentVariant[];
}

/** An experiment_members row as the batch adds to it; variant and joined_at are the first event's, as an insert keeps them. */
interface MemberRow {
  experiment_id: string;
  member_id: string;
  variant: string;
  joined_at: string;
  purchases: number;
  revenue_minor: number;
  points_issued: number;
  points_redeemed: number;
}

/**
 * Experiments are learned from ProgramConfigured events in log order, so the
 * projection knows exactly the experiments the domain knew when it decided.
 * A definition removed from the program keeps its rows: results outlive it.
 * A batch sums each member's deltas per experiment in memory and adds them
 * to the stored rows in one statement.
 */
export const experimentsProjectionIn = (schema: string): Projection => ({
  name: 'experiments',
  async applyBatch(manager, events) {
    const definitions = await loadDefinitions(manager, schema);
    const rows = new Map<string, MemberRow>();
    for (const recorded of events) {
      const program = decodeProgramEvent(recorded);
      if (program?.type === 'ProgramConfigured') {
        await define(manager, schema, recorded.position, program, definitions);
        continue;
      }
      const event = definitions.size > 0 ? decodeMemberEvent(recorded) : undefined;
      if (!event) continue;
      const at = toMillis(event.data.occurredAt);
      const d = deltasOf(event);
      for (const [experimentId, e] of definitions) {
        if (!(e.startsMs <= at && (e.endsMs === null || e.endsMs > at))) continue;
        const key = keyOf(experimentId, event.data.memberId);
        const row = rows.get(key) ?? {
          experiment_id: experimentId,
          member_id: event.data.memberId,
          variant: variantOf({ experimentId, variants: e.variants }, event.data.memberId).name,
          joined_at: event.data.occurredAt,
          purchases: 0,
          revenue_minor: 0,
          points_issued: 0,
          points_redeemed: 0,
        };
        row.purchases += d.purchases;
        row.revenue_minor += d.revenueMinor;
        row.points_issued += d.pointsIssued;
        row.points_redeemed += d.pointsRedeemed;
        rows.set(key, row);
      }
    }
    if (rows.size === 0) return;
    await manager.query(
      `insert into ${schema}.experiment_members select * from json_populate_recordset(null::${schema}.experiment_members, $1::json)
       on conflict (experiment_id, member_id) do update set
         purchases = experiment_members.purchases + excluded.purchases,
         revenue_minor = experiment_members.revenue_minor + excluded.revenue_minor,
         points_issued = experiment_members.points_issued + excluded.points_issued,
         points_redeemed = experiment_members.points_redeemed + excluded.points_redeemed`,
      [JSON.stringify([...rows.values()])],
    );
  },
});

export const experimentsProjection = experimentsProjectionIn(READ_MODEL_SCHEMA);

async function loadDefinitions(manager: EntityManager, schema: string): Promise<Map<string, Running>> {
  const rows: Array<{ experiment_id: string; starts_at: string; ends_at: string | null; variants: ExperimentVariant[] }> =
    await manager.query(
      `select experiment_id, to_json(starts_at) #>> '{}' as starts_at, to_json(ends_at) #>> '{}' as ends_at, variants from ${schema}.experiment_definitions`,
    );
  return new Map(
    rows.map((r) => [
      r.experiment_id,
      { startsMs: toMillis(r.starts_at), endsMs: r.ends_at === null ? null : toMillis(r.ends_at), variants: r.variants },
    ]),
  );
}

async function define(
  manager: EntityManager,
  schema: string,
  position: bigint,
  { data: { policy } }: ProgramConfigured,
  definitions: Map<string, Running>,
): Promise<void> {
  for (const e of policy.experiments ?? []) {
    await manager.query(
      `insert into ${schema}.experiment_definitions (experiment_id, starts_at, ends_at, variants, position) values ($1, $2, $3, $4, $5)
       on conflict (experiment_id) do update set starts_at = excluded.starts_at, ends_at = excluded.ends_at, variants = excluded.variants, position = excluded.position`,
      [e.experimentId, e.startsAt, e.endsAt, JSON.stringify(e.variants), position.toString()],
    );
    definitions.set(e.experimentId, {
      startsMs: toMillis(e.startsAt),
      endsMs: e.endsAt === null ? null : toMillis(e.endsAt),
      variants: [...e.variants],
    });
  }
}
