import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { EventStore, RecordedEvent, Subscription } from '@loyalty/event-store';
import { loadCheckpoint, saveCheckpoint } from '../checkpoints/checkpoints';
import { batches } from './batches';
import { Projection, projectBatch } from './projection';

/** Events per read-model transaction: large enough to amortise commits, small enough to keep locks short. */
export const PROJECTOR_BATCH_SIZE_MAX = 500;
const RESTART_DELAY_MS = 1000;
/** How often a standby checks whether the active projector's lock was released. */
const STANDBY_POLL_MS = 1000;

export type ProjectorStatus = 'stopped' | 'standby' | 'running' | 'failing';

/** Advisory lock (class, key) of a projector's batches: batches take it shared, the rebuild's swap exclusively. */
const BATCH_LOCK = `hashtext('projector-batch'), hashtext($1)`;

/**
 * Waits for the projector's batch in flight, if any, and holds off its next
 * one until the caller's transaction ends: each batch takes this lock
 * (shared) before it touches a table, so a caller that then locks the
 * read-model tables (the rebuild's swap) never deadlocks with a batch that
 * has locked some of them already.
 */
export async function holdProjectorBatches(manager: EntityManager, name: string): Promise<void> {
  await manager.query(`select pg_advisory_xact_lock(${BATCH_LOCK})`, [name]);
}

/**
 * Catch-up subscription from the checkpoint into the read models; each batch
 * updates the rows and the checkpoint in one transaction, so a crash replays
 * at most an uncommitted batch (exactly-once effect).
 */
export class Projector {
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private checkpoint: bigint | undefined;
  private lastError: string | undefined;
  private eventsProjected = 0;
  private leadership: QueryRunner | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: readonly Projection[],
    readonly name = 'ledger',
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  start(): void {
    this.stopping = false;
    this.running ??= this.runUntilStopped();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.close();
    await this.running;
    this.running = undefined;
  }

  status(): { status: ProjectorStatus; position: bigint | undefined; lastError: string | undefined; eventsProjected: number } {
    const status = !this.running ? 'stopped' : !this.leadership ? 'standby' : this.lastError ? 'failing' : 'running';
    return { status, position: this.checkpoint, lastError: this.lastError, eventsProjected: this.eventsProjected };
  }

  private async runUntilStopped(): Promise<void> {
    while (!this.stopping) {
      try {
        if (await this.lead()) await this.catchUpAndFollow();
        else await new Promise((r) => setTimeout(r, STANDBY_POLL_MS));
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.log(`projector ${this.name} failed, restarting from its checkpoint: ${this.lastError}`);
        await this.resign();
        await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
      }
    }
    await this.resign();
  }

  /**
   * One active projector per projection across processes: a session advisory
   * lock held on a dedicated connection. Others wait as hot standbys and take
   * over when the holder's connection ends.
   */
  private async lead(): Promise<boolean> {
    if (this.leadership) return true;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const rows: Array<{ locked: boolean }> = await runner.query(
      `select pg_try_advisory_lock(hashtext('projector'), hashtext($1)) as locked`,
      [this.name],
    );
    if (rows[0]?.locked) {
      this.leadership = runner;
      return true;
    }
    await runner.release();
    return false;
  }

  private async resign(): Promise<void> {
    const runner = this.leadership;
    this.leadership = undefined;
    if (!runner) return;
    await runner.query(`select pg_advisory_unlock(hashtext('projector'), hashtext($1))`, [this.name]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  private async catchUpAndFollow(): Promise<void> {
    this.checkpoint = await loadCheckpoint(this.dataSource.manager, this.name);
    this.subscription = this.store.subscribeToAll({ after: this.checkpoint });
    if (this.stopping) await this.subscription.close();
    for await (const batch of batches(this.subscription, PROJECTOR_BATCH_SIZE_MAX)) {
      await this.project(batch);
      this.lastError = undefined;
    }
  }

  private async project(batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1]!.position;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`select pg_advisory_xact_lock_shared(${BATCH_LOCK})`, [this.name]);
      await projectBatch(manager, this.projections, batch);
      await saveCheckpoint(manager, this.name, last);
    });
    this.checkpoint = last;
    this.eventsProjected += batch.length;
  }
}
