import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { EventStore, RecordedEvent, Subscription } from '@loyalty/event-store';
import { queryRows } from '@loyalty/platform';
import { advanceCheckpoint, CheckpointMovedError, loadCheckpoint } from '../checkpoints/checkpoints';
import { batches } from './batches';
import { applyHoldingBack, applyIsolating, ParkingScope } from './isolation';
import { isTransientFailure } from './parking';
import { Projection } from './projection';
import { retryParkedStream, RetryOutcome } from './retry-parked';

/** Events per read-model transaction: large enough to amortise commits, small enough to keep locks short. */
export const PROJECTOR_BATCH_SIZE_MAX = 500;
const RESTART_DELAY_MS = 1000;
/** How often a standby checks whether the active projector's lock was released. */
const STANDBY_POLL_MS = 1000;
/** How often the leader checks, before a batch, that its lock connection (and so its lock) is still there. */
const LEADERSHIP_CHECK_MS = 1000;

export type ProjectorStatus = 'stopped' | 'standby' | 'running' | 'failing';

export interface ProjectorOptions {
  readonly batchSizeMax?: number;
}

/** Advisory lock (class, key) of a projector's batches: batches take it shared, the rebuild's swap exclusively. */
const BATCH_LOCK = `hashtext('projector-batch'), hashtext($1)`;

/**
 * Waits for the projector's batch in flight, if any, and holds off its next
 * one until the caller's transaction ends: each batch takes this lock
 * (shared) before it touches a table, so a caller that then locks the
 * read-model tables (the rebuild's swap, a retry of parked events) never
 * deadlocks with a batch that has locked some of them already.
 */
export async function holdProjectorBatches(manager: EntityManager, name: string): Promise<void> {
  await manager.query(`select pg_advisory_xact_lock(${BATCH_LOCK})`, [name]);
}

class LeadershipLostError extends Error {
  constructor(name: string, cause: unknown) {
    super(`projector ${name} lost its lock connection: rejoining as a standby`, { cause });
    this.name = 'LeadershipLostError';
  }
}

/**
 * Catch-up subscription from the checkpoint into the read models. Each batch
 * moves the checkpoint by compare-and-set and updates the rows in one
 * transaction, so a crash replays at most an uncommitted batch and a
 * consumer that is no longer the leader (paused, lock lost, a second copy)
 * can never commit: it notices, stops and rejoins as a standby. An event a
 * projection cannot apply parks its stream (see isolation.ts) instead of
 * stopping every other stream.
 */
export class Projector {
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private checkpoint: bigint | undefined;
  private lastError: string | undefined;
  private eventsProjected = 0;
  private leadership: QueryRunner | undefined;
  private leadershipCheckedAtMs = 0;
  private readonly batchSizeMax: number;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: readonly Projection[],
    readonly name = 'ledger',
    private readonly log: (message: string) => void = () => undefined,
    options: ProjectorOptions = {},
  ) {
    this.batchSizeMax = options.batchSizeMax ?? PROJECTOR_BATCH_SIZE_MAX;
  }

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

  /** After a fix: the stream's held-back events through this projector's projections, in order, all or none. */
  retryParked(streamId: string): Promise<RetryOutcome> {
    return retryParkedStream(this.dataSource, this.store, this.name, this.projections, streamId, holdProjectorBatches);
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
        const fenced = error instanceof CheckpointMovedError || error instanceof LeadershipLostError;
        this.log(
          fenced
            ? `projector ${this.name} stopped: ${this.lastError}; it rejoins as a standby`
            : `projector ${this.name} failed, restarting from its checkpoint: ${this.lastError}`,
        );
        await this.subscription?.close().catch(() => undefined);
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
    const rows = await queryRows<{ locked: boolean }>(
      runner,
      `select pg_try_advisory_lock(hashtext('projector'), hashtext($1)) as locked`,
      [this.name],
    );
    if (rows[0]?.locked) {
      this.leadership = runner;
      this.leadershipCheckedAtMs = Date.now();
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

  /** A session lock lives as long as its connection: the connection answering is the lock still held. */
  private async checkLeadership(): Promise<void> {
    if (Date.now() - this.leadershipCheckedAtMs < LEADERSHIP_CHECK_MS) return;
    try {
      await this.leadership!.query('select 1');
    } catch (error) {
      throw new LeadershipLostError(this.name, error);
    }
    this.leadershipCheckedAtMs = Date.now();
  }

  private async catchUpAndFollow(): Promise<void> {
    this.checkpoint = await loadCheckpoint(this.dataSource.manager, this.name);
    this.subscription = this.store.subscribeToAll({ after: this.checkpoint });
    if (this.stopping) await this.subscription.close();
    for await (const batch of batches(this.subscription, this.batchSizeMax)) {
      await this.checkLeadership();
      await this.project(batch);
      this.lastError = undefined;
    }
  }

  /** The batch as one; if a projection refuses it, again event by event so that only the failing stream is parked. */
  private async project(batch: readonly RecordedEvent[]): Promise<void> {
    try {
      await this.commit(batch, applyHoldingBack);
    } catch (error) {
      if (isTransientFailure(error)) throw error;
      await this.commit(batch, applyIsolating);
    }
    this.checkpoint = batch[batch.length - 1]!.position;
    this.eventsProjected += batch.length;
  }

  private commit(batch: readonly RecordedEvent[], apply: (scope: ParkingScope, batch: readonly RecordedEvent[]) => Promise<void>) {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`select pg_advisory_xact_lock_shared(${BATCH_LOCK})`, [this.name]);
      const { parkedStreamIds } = await advanceCheckpoint(manager, this.name, this.checkpoint, batch[batch.length - 1]!.position);
      const scope = { manager, consumer: this.name, projections: this.projections, parked: new Set(parkedStreamIds), log: this.log };
      await apply(scope, batch);
    });
  }
}
