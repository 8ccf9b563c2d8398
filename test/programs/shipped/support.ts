import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { READ_MODEL_SCHEMA } from '@loyalty/read-models';
import { startTestLedger, TestLedger } from '../../support/ledger';

export const EXAMPLES_DIR = join(__dirname, '../../../examples/programs');

/** A shipped file as it is on disk, parsed: the tests load exactly what an operator would. */
export function readExample(path: string): unknown {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, path), 'utf8'));
}

/** Every JSON file under examples/programs, relative to it, so a file added later is tested without naming it. */
export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.json'))
    .sort();
}

/**
 * A ledger driven through a scripted year: each write moves the test clock to
 * the instant it happens, so nothing is ever stamped in the future and every
 * read sees the writes before it.
 */
export interface ScriptedLedger {
  readonly t: TestLedger;
  /** Moves the clock to `instant` and writes there (occurredAt = instant); answers the body after checking the status. */
  at(instant: string, path: string, body: Record<string, unknown>, status?: number): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON over HTTP
  /** Runs the daily job at `asOf`, with the clock moved there first. */
  dailyJob(asOf: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON over HTTP
  profile(memberId: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON over HTTP
  balance(memberId: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON over HTTP
  /** A member's coupons as GET /v1/coupons/{code} answers them, oldest first. No route lists a member's coupons, so the codes come from the read model. */
  coupons(memberId: string): Promise<any[]>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON over HTTP
}

export async function startScriptedLedger(label: string, program: unknown, configuredAt: string): Promise<ScriptedLedger> {
  const t = await startTestLedger(label);
  let lastPosition = -1;
  const seen = (body: { position?: unknown }) => {
    if (body.position !== undefined) lastPosition = Math.max(lastPosition, Number(body.position));
  };
  t.clock.set(configuredAt);
  const configured = await t.call('PUT', '/v1/program', program);
  if (configured.status !== 201) throw new Error(`program refused: ${JSON.stringify(configured.body)}`);
  seen(configured.body);
  return {
    t,
    async at(instant, path, body, status = 201) {
      t.clock.set(instant);
      const response = await t.call('POST', path, { ...body, occurredAt: instant });
      expect({ path, status: response.status, body: response.body }).toMatchObject({ path, status });
      seen(response.body);
      return response.body;
    },
    async dailyJob(asOf) {
      t.clock.set(asOf);
      const response = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${lastPosition}`, { asOf });
      expect(response.status).toBe(200);
      seen(response.body);
      return response.body;
    },
    profile: async (memberId) => (await t.call('GET', `/v1/members/${memberId}?minPosition=${lastPosition}`)).body,
    balance: async (memberId) => (await t.call('GET', `/v1/members/${memberId}/balance?minPosition=${lastPosition}`)).body,
    async coupons(memberId) {
      await t.caughtUp(lastPosition);
      const rows: { code: string }[] = await t.ledger.readModels.query(
        `select code from ${READ_MODEL_SCHEMA}.coupons where member_id = $1 order by issued_at, code`,
        [memberId],
      );
      return Promise.all(rows.map(async ({ code }) => (await t.call('GET', `/v1/coupons/${code}`)).body));
    },
  };
}
