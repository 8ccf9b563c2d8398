import { DataSource } from 'typeorm';
import { loadCheckpoint } from './checkpoints';

/** Bounds on `?minPosition=` waits: a read never blocks a request longer than this. */
export const CATCH_UP_WAIT_MS_DEFAULT = 5000;
export const CATCH_UP_WAIT_MS_MAX = 30_000;
const CATCH_UP_POLL_MS = 10;

/**
 * Waits until the projection's checkpoint reaches `minPosition`. It reads the
 * checkpoint table, so it works whether the projector runs in this process or
 * another. Returns the position reached, or undefined on timeout.
 */
export async function waitForCheckpoint(
  dataSource: DataSource,
  projection: string,
  minPosition: bigint,
  timeoutMs: number,
): Promise<bigint | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const position = (await loadCheckpoint(dataSource.manager, projection)) ?? -1n;
    if (position >= minPosition) return position;
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, CATCH_UP_POLL_MS));
  }
}
