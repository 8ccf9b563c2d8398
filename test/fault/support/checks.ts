import { Pool } from 'pg';
import { EventStore } from '@loyalty/event-store';
import { READ_MODEL_SCHEMA } from '@loyalty/read-models';
import { rebuildReadModels } from '../../../apps/cli/src/projections-rebuild';
import { logKey, Write } from './campaign-plan';
import { describeOutcome, WriteResult } from './campaign';

/** Business refusals the plan can run into (a refund of a purchase whose own write failed, spending more than is left). */
const EXPECTED_REJECTIONS = new Set(['INSUFFICIENT_POINTS', 'REFUND_EXCEEDS_PURCHASE', 'TRANSACTION_NOT_FOUND']);
const LOG_PAGE_EVENTS = 5000;
const CONVERGENCE_POLL_MS = 100;
const SAMPLE_ROWS = 3;

export interface LogIndex {
  /** How many times each write's own event (see logKey) is in the log. */
  readonly counts: ReadonlyMap<string, number>;
  readonly head: bigint;
  readonly events: number;
}

export async function indexLog(store: EventStore): Promise<LogIndex> {
  const counts = new Map<string, number>();
  let after: bigint | undefined;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: LOG_PAGE_EVENTS });
    if (page.length === 0) break;
    for (const event of page) {
      const key = logKey(event.type, event.data);
      if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    events += page.length;
    after = page[page.length - 1]!.position;
  }
  return { counts, head: after ?? -1n, events };
}

export const isIn = (log: LogIndex) => (write: Write) => (log.counts.get(write.key) ?? 0) > 0;

/** Acknowledged: in the log once. Rejected: not at all. Nothing twice, nothing left unanswered. */
export function writeProblems(results: readonly WriteResult[], log: LogIndex): string[] {
  const problems: string[] = [];
  for (const { write, first, final, committedBeforeRetry } of results) {
    const count = log.counts.get(write.key) ?? 0;
    const answers = first === final ? describeOutcome(final) : `${describeOutcome(first)}, retried: ${describeOutcome(final)}`;
    const what = `${write.key} (${answers})`;
    if (final.kind === 'ack' && count !== 1) problems.push(`${what} is in the log ${count} times, not once`);
    if (final.kind === 'rejected' && count !== 0) problems.push(`${what} was refused but is in the log ${count} times`);
    if (final.kind === 'rejected' && !EXPECTED_REJECTIONS.has(final.code)) problems.push(`${what}: unexpected refusal`);
    if (committedBeforeRetry && final.kind === 'ack' && final.status === 201) problems.push(`${what}: the retry recorded it again`);
  }
  for (const [key, count] of log.counts) if (count > 1) problems.push(`${key} is in the log ${count} times`);
  return problems;
}

/** Failed writes whose retries found no answer either: the system did not recover. */
export function unansweredProblems(results: readonly WriteResult[]): string[] {
  return results
    .filter((r) => r.final.kind === 'failed')
    .map((r) => `${r.write.key} still fails after the retries: ${describeOutcome(r.final)}`);
}

export async function waitForConvergence(pool: Pool, head: bigint, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let position = -1n;
  while (Date.now() < deadline) {
    const { rows } = await pool
      .query<{ position: string }>(`select position from ${READ_MODEL_SCHEMA}.checkpoints where projection = 'ledger'`)
      .catch(() => ({ rows: [] as Array<{ position: string }> }));
    position = rows[0] ? BigInt(rows[0].position) : -1n;
    if (position >= head) return [];
    await new Promise((r) => setTimeout(r, CONVERGENCE_POLL_MS));
  }
  return [`the read models stopped at ${position}, the log is at ${head} (after ${timeoutMs} ms)`];
}

export async function reconciliationProblems(url: string, apiKey: string): Promise<string[]> {
  const response = await fetch(`${url}/v1/audit/reconciliation`, { headers: { 'x-api-key': apiKey } });
  const body = (await response.json()) as { healthy?: boolean };
  if (response.status === 200 && body.healthy === true) return [];
  return [`GET /v1/audit/reconciliation: ${response.status} ${JSON.stringify(body).slice(0, 2000)}`];
}

/** Streams parked for a poison event, when the read models have that table. */
export async function parkedProblems(pool: Pool): Promise<string[]> {
  const [{ present }] = (
    await pool.query<{ present: boolean }>(`select to_regclass('${READ_MODEL_SCHEMA}.parked_streams') is not null as present`)
  ).rows as [{ present: boolean }];
  if (!present) return [];
  const { rows } = await pool.query(`select * from ${READ_MODEL_SCHEMA}.parked_streams limit ${SAMPLE_ROWS}`);
  return rows.length === 0 ? [] : [`parked streams: ${JSON.stringify(rows)}`];
}

/**
 * Rebuilds the read models from the log (keeping the live ones aside) and
 * compares every table row for row, KPIs and segments included: an event
 * applied twice or skipped by a faulted projector shows up here.
 */
export async function rebuildProblems(databaseUrl: string, store: EventStore, pool: Pool): Promise<string[]> {
  const { oldSchema } = await rebuildReadModels({ databaseUrl, store, keepOldSchema: true });
  const tablesOf = async (schema: string) =>
    (
      await pool.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by 1`,
        [schema],
      )
    ).rows.map((r) => r.table_name);
  const live = await tablesOf(oldSchema);
  const rebuilt = await tablesOf(READ_MODEL_SCHEMA);
  const problems: string[] = [];
  if (live.join() !== rebuilt.join()) problems.push(`tables differ: live [${live.join(', ')}], rebuilt [${rebuilt.join(', ')}]`);
  for (const table of rebuilt.filter((t) => live.includes(t))) {
    const { rows: columns } = await pool.query<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns where table_schema = $1 and table_name = $2 order by column_name`,
      [READ_MODEL_SCHEMA, table],
    );
    // json has no equality operator; its jsonb form compares by value.
    const list = columns.map((c) => `"${c.column_name}"${c.data_type === 'json' ? '::jsonb' : ''}`).join(', ');
    const only = async (a: string, b: string) =>
      (
        await pool.query<Record<string, unknown>>(
          `select ${list} from ${a}.${table} except all select ${list} from ${b}.${table} limit ${SAMPLE_ROWS}`,
        )
      ).rows;
    const [liveOnly, rebuiltOnly] = [await only(oldSchema, READ_MODEL_SCHEMA), await only(READ_MODEL_SCHEMA, oldSchema)];
    if (liveOnly.length > 0 || rebuiltOnly.length > 0)
      problems.push(
        `${table}: live rows not in the rebuild ${JSON.stringify(liveOnly)}; rebuilt rows not live ${JSON.stringify(rebuiltOnly)}`,
      );
  }
  return problems;
}
