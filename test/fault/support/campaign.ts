import { CampaignPlan, Step, Write } from './campaign-plan';
import { Outcome, send } from './client';
import { CAMPAIGN_API_KEY, Services } from './services';

/** After a failed write a worker waits this long, so an outage costs a few writes, not the whole plan. */
const FAILURE_BACKOFF_MS = 200;
/** Retries of a failed write once the faults are over: bounded, about ten seconds. */
const RETRY_ATTEMPTS_MAX = 40;
const RETRY_BACKOFF_MS = 250;
const PACING_POLL_MS = 20;
/**
 * Each worker starts a write at most this often: a steady stream, so writes
 * keep arriving while a fault is in progress (a projector paused with a
 * batch in flight is only caught applying it twice when later events follow).
 */
const WRITE_INTERVAL_MS = 50;

export interface WriteResult {
  readonly write: Write;
  readonly first: Outcome;
  /** The answer after the retries (the first one when it was not a failure). */
  final: Outcome;
  /** Whether a failed write's event was in the log before it was retried (undefined: it did not fail). */
  committedBeforeRetry?: boolean;
}

/**
 * Runs the plan: the workers' writes concurrently, and between them the
 * steps (faults, program changes) one at a time, each when its share of the
 * writes is done. Workers hold back at the next step's mark until it starts,
 * so every fault lands under load however fast or slow this machine is.
 */
export class Campaign {
  readonly setup: WriteResult[] = [];
  readonly programs: WriteResult[] = [];
  readonly workers: WriteResult[][];
  private completed = 0;
  private nextStepAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly plan: CampaignPlan,
    private readonly services: Services,
    private readonly log: (line: string) => void,
  ) {
    this.workers = plan.workers.map(() => []);
  }

  get all(): WriteResult[] {
    return [...this.setup, ...this.programs, ...this.workers.flat()];
  }

  async runSetup(): Promise<void> {
    for (const write of this.plan.setup) this.setup.push(await this.answered(write));
  }

  async runLoad(): Promise<void> {
    const total = this.plan.workers.reduce((n, writes) => n + writes.length, 0);
    const steps = this.plan.steps;
    const marks = steps.map((_, i) => Math.round(((i + 1) * total) / (steps.length + 1)));
    this.nextStepAt = marks[0] ?? Number.POSITIVE_INFINITY;
    const stepsDone = (async () => {
      for (const [i, step] of steps.entries()) {
        while (this.completed < marks[i]!) await sleep(PACING_POLL_MS);
        this.nextStepAt = marks[i + 1] ?? Number.POSITIVE_INFINITY;
        await this.services.supervise();
        await this.runStep(step, `step ${i + 1}/${steps.length} at ${this.completed}/${total} writes`);
      }
    })();
    await Promise.all([...this.plan.workers.map((writes, w) => this.work(writes, this.workers[w]!)), stepsDone]);
    this.log(`load done: ${this.summary()}`);
  }

  /** Failed writes again, with the same ids and bodies, until each gets an answer (bounded). */
  async retryFailed(committed: (write: Write) => boolean): Promise<void> {
    await this.services.supervise();
    const retries = this.workers.map(async (results) => {
      for (const result of results) {
        if (result.final.kind !== 'failed') continue;
        result.committedBeforeRetry = committed(result.write);
        result.final = (await this.answered(result.write)).final;
      }
    });
    await Promise.all(retries);
    this.log(`retries done: ${this.summary()}`);
  }

  summary(): string {
    const count = (pick: (r: WriteResult) => Outcome, kind: Outcome['kind']) => this.all.filter((r) => pick(r).kind === kind).length;
    return (
      `${this.all.length} writes; first answers: ${count((r) => r.first, 'ack')} acknowledged, ` +
      `${count((r) => r.first, 'rejected')} rejected, ${count((r) => r.first, 'failed')} failed; ` +
      `now ${count((r) => r.final, 'failed')} failed`
    );
  }

  private async runStep(step: Step, where: string): Promise<void> {
    const started = Date.now();
    if (step.kind === 'program') {
      // Retried at once: a PUT is idempotent by content, so a retry after a later change would record a version again.
      const result = await this.answered(step.write);
      this.programs.push(result);
      this.log(
        `[${where}] program change ${step.write.key}: ${describeOutcome(result.first)}${result.first === result.final ? '' : `, then ${describeOutcome(result.final)}`}`,
      );
      return;
    }
    this.log(`[${where}] fault ${step.fault.kind} ...`);
    const what = await this.services.inject(step.fault);
    this.log(`  ${what} (${Date.now() - started} ms; ${this.summary()}; leader ${(await this.services.leader())?.name ?? 'none'})`);
  }

  private async work(writes: readonly Write[], results: WriteResult[]): Promise<void> {
    for (const write of writes) {
      while (this.completed >= this.nextStepAt) await sleep(PACING_POLL_MS);
      const started = Date.now();
      const first = await send(this.services.url, write, CAMPAIGN_API_KEY);
      results.push({ write, first, final: first });
      this.completed++;
      if (first.kind === 'failed') {
        await sleep(FAILURE_BACKOFF_MS);
        await this.services.appAvailable();
      }
      await sleep(WRITE_INTERVAL_MS - (Date.now() - started));
    }
  }

  private async answered(write: Write): Promise<WriteResult> {
    let first: Outcome | undefined;
    let last: Outcome = { kind: 'failed', reason: 'not sent' };
    for (let attempt = 1; attempt <= RETRY_ATTEMPTS_MAX; attempt++) {
      await this.services.appAvailable();
      last = await send(this.services.url, write, CAMPAIGN_API_KEY);
      first ??= last;
      if (last.kind !== 'failed') break;
      await sleep(RETRY_BACKOFF_MS);
    }
    return { write, first: first ?? last, final: last };
  }
}

export function describeOutcome(outcome: Outcome): string {
  return outcome.kind === 'ack'
    ? `${outcome.status}`
    : outcome.kind === 'rejected'
      ? `${outcome.status} ${outcome.code}`
      : `failed (${outcome.reason})`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
