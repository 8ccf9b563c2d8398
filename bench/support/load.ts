/** Latency samples of one measured run, summarised as the issue asks: rate, p50, p99. */
export interface LoadFigures {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

export function summarise(samplesMs: number[], seconds: number, errors = 0): LoadFigures {
  const sorted = samplesMs.sort((a, b) => a - b);
  return {
    operations: sorted.length,
    seconds: round(seconds, 2),
    perSecond: Math.round(sorted.length / seconds),
    p50Ms: round(percentile(sorted, 50), 2),
    p99Ms: round(percentile(sorted, 99), 2),
    errors,
  };
}

/**
 * Closed-loop load: `workers` callers each run `operation` back to back for
 * `durationMs`, after `warmupMs` whose samples are dropped. `operation`
 * gets the worker's index and its own sequence number, so callers can make
 * keys unique without shared state. Errors are counted, not timed, and the
 * first one is kept so a broken run is never reported as a fast one.
 */
export async function closedLoop(
  workers: number,
  durationMs: number,
  operation: (worker: number, sequence: number) => Promise<unknown>,
  warmupMs = Math.min(1000, durationMs / 5),
): Promise<LoadFigures & { firstError?: unknown }> {
  const samples: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  const measureFrom = started + warmupMs;
  const stopAt = measureFrom + durationMs;
  const worker = async (w: number) => {
    for (let sequence = 0; performance.now() < stopAt; sequence++) {
      const t0 = performance.now();
      try {
        await operation(w, sequence);
        if (t0 >= measureFrom) samples.push(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  const seconds = (performance.now() - measureFrom) / 1000;
  return { ...summarise(samples, seconds, errors), ...(firstError === undefined ? {} : { firstError }) };
}

export const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
export const ratio = (a: number, b: number) => (b === 0 ? 0 : round(a / b, 2));
