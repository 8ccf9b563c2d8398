import { DataSource, EntityManager } from 'typeorm';
import { READ_MODEL_SCHEMA } from '@loyalty/read-models';
import { READ_MODEL_TABLE_NAMES, READ_MODEL_TABLES, StoredFigures, StoredTables } from './read-model-tables';
import { ReadModelBalance } from './reconciliation';

/** The projector whose checkpoint covers every reconciled read model (the composition root names it so). */
export const BALANCES_PROJECTOR = 'ledger';

export interface ReadModelSnapshot {
  readonly checkpoint: bigint | null;
  readonly balances: ReadModelBalance[];
  readonly tables: StoredTables;
}

/**
 * Checkpoint and rows in one repeatable-read transaction: the projector
 * commits rows and checkpoint together, so this snapshot is a state it
 * actually passed through, even while it keeps projecting.
 */
export async function readModelSnapshot(db: DataSource, projector = BALANCES_PROJECTOR): Promise<ReadModelSnapshot> {
  return db.transaction('REPEATABLE READ', async (manager) => {
    const checkpoints: Array<{ position: string }> = await manager.query(
      `select position from ${READ_MODEL_SCHEMA}.checkpoints where projection = $1`,
      [projector],
    );
    const balances = await memberBalances(manager);
    const tables = {} as StoredTables;
    for (const name of READ_MODEL_TABLE_NAMES) tables[name] = await storedFigures(manager, READ_MODEL_TABLES[name]);
    return { checkpoint: checkpoints[0] ? BigInt(checkpoints[0].position) : null, balances, tables };
  });
}

async function memberBalances(manager: EntityManager): Promise<ReadModelBalance[]> {
  const rows: Array<Record<string, string>> = await manager.query(
    `select member_id, available, pending, debt, lifetime_earned, redeemed, expired, clawed_back, adjusted, transferred_in, transferred_out
       from ${READ_MODEL_SCHEMA}.member_balances order by member_id`,
  );
  const n = (v: string | undefined) => Number(v ?? 0);
  return rows.map((r) => ({
    memberId: String(r.member_id),
    available: n(r.available),
    pending: n(r.pending),
    debt: n(r.debt),
    issued: n(r.lifetime_earned),
    redeemed: n(r.redeemed),
    expired: n(r.expired),
    clawedBack: n(r.clawed_back),
    adjusted: n(r.adjusted),
    transferredIn: n(r.transferred_in),
    transferredOut: n(r.transferred_out),
  }));
}

async function storedFigures(
  manager: EntityManager,
  table: { sql: string; fields: readonly string[] },
): Promise<Map<string, StoredFigures>> {
  const rows: Array<Record<string, string | null>> = await manager.query(table.sql);
  return new Map(rows.map((row) => [String(row.key), Object.fromEntries(table.fields.map((field) => [field, BigInt(row[field] ?? 0)]))]));
}
