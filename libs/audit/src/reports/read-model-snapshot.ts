import { DataSource } from 'typeorm';
import { READ_MODEL_SCHEMA } from '@loyalty/read-models';
import { ReadModelBalance } from './reconciliation';

/** The projector whose checkpoint covers `member_balances` (the composition root names it so). */
export const BALANCES_PROJECTOR = 'ledger';

export interface ReadModelSnapshot {
  readonly checkpoint: bigint | null;
  readonly balances: ReadModelBalance[];
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
    const rows: Array<Record<string, string>> = await manager.query(
      `select member_id, available, pending, debt, lifetime_earned, redeemed, expired, clawed_back, adjusted, transferred_in, transferred_out
         from ${READ_MODEL_SCHEMA}.member_balances order by member_id`,
    );
    const n = (v: string | undefined) => Number(v ?? 0);
    return {
      checkpoint: checkpoints[0] ? BigInt(checkpoints[0].position) : null,
      balances: rows.map((r) => ({
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
      })),
    };
  });
}
