import { rebuildReadModels } from '../../apps/cli/src/projections-rebuild';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/**
 * Issue reproduction: one event the read models cannot store (a purchase
 * dated in year 0, written below the API) froze every read model for good.
 * Now it parks its member: that member's reads say so, every other member's
 * reads keep up, health and metrics report it, and an admin can list and retry it.
 */
describe('a poison event parks its member, not the read side', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('parked');
    expect((await t.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
    for (const memberId of ['m-good', 'm-bad']) {
      expect((await t.call('POST', '/v1/members', { memberId, type: 'individual' }, { key: KEYS.pos })).status).toBe(201);
    }
  });
  afterAll(async () => t.close());

  const purchase = (memberId: string, transactionId: string) =>
    t.call('POST', '/v1/purchases', { transactionId, memberId, amountMinor: 1000, currency: 'EUR' }, { key: KEYS.pos });

  it('keeps other members moving and answers READ_MODEL_PARKED for the parked one', async () => {
    expect((await purchase('m-good', 'tx-good-1')).status).toBe(201);
    const [recorded] = (await t.ledger.store.readStream('member-m-good')).filter((e) => e.type === 'PurchaseRecorded');
    const poison = { ...recorded!.data, memberId: 'm-bad', transactionId: 'tx-poison', occurredAt: '0000-01-01T00:00:00Z' };
    const { position: poisonPosition } = await t.ledger.store.append(
      'member-m-bad',
      [{ eventId: crypto.randomUUID(), type: 'PurchaseRecorded', data: poison }],
      'any',
    );

    const written = await purchase('m-good', 'tx-good-2');
    expect(written.status).toBe(201);
    const good = await t.call('GET', `/v1/members/m-good/balance?minPosition=${written.body.position}`);
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ available: 120, lifetimeEarned: 120 });

    for (const path of ['/v1/members/m-bad/balance', '/v1/members/m-bad/ledger', '/v1/members/m-bad']) {
      const parked = await t.call('GET', path);
      expect(parked.status).toBe(503);
      expect(parked.body.error).toMatchObject({
        code: 'READ_MODEL_PARKED',
        details: { memberId: 'm-bad', position: String(poisonPosition) },
      });
    }

    const ready = await t.call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.parkedStreams).toEqual({ ledger: 1 });
    const metrics = await t.call('GET', '/metrics');
    expect(metrics.body).toContain('loyalty_projection_parked_streams{projection="ledger"} 1');

    const listed = await t.call('GET', '/v1/admin/parked-streams');
    expect(listed.status).toBe(200);
    expect(listed.body.parkedStreams).toEqual([
      {
        consumer: 'ledger',
        streamId: 'member-m-bad',
        firstPosition: String(poisonPosition),
        eventType: 'PurchaseRecorded',
        // Projections run in order; balances and ledger entries keep no purchase instant, the segments' facts do.
        projection: 'segments',
        events: 1,
        // PostgreSQL's own wording follows; the stable part is what failed.
        error: expect.stringContaining('out of range'),
        // Stamped by the database when the projector parked the stream: not the ledger's clock, so not pinned.
        parkedAt: expect.any(String),
        retriedAt: null,
      },
    ]);
    expect((await t.call('GET', '/v1/admin/parked-streams', undefined, { key: KEYS.pos })).status).toBe(403);

    // The event is in the log for good and still cannot be stored: a retry says so and changes nothing.
    const retried = await t.call('POST', '/v1/admin/parked-streams/ledger/member-m-bad/retry');
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ status: 'still-parked', events: 1, error: expect.stringContaining('out of range') });
    const unknown = await t.call('POST', '/v1/admin/parked-streams/ledger/member-m-good/retry');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('STREAM_NOT_PARKED');
  });

  it('stays parked through a rebuild, which keeps every other member', async () => {
    const before = (await t.call('GET', '/v1/admin/parked-streams')).body.parkedStreams;
    await rebuildReadModels({ databaseUrl: t.databaseUrl, store: t.ledger.store });
    const written = await purchase('m-good', 'tx-good-3');
    const good = await t.call('GET', `/v1/members/m-good/balance?minPosition=${written.body.position}`);
    // 100 welcome + 10 for each of three purchases of 10.00
    expect(good.body).toMatchObject({ available: 130, lifetimeEarned: 130 });
    expect((await t.call('GET', '/v1/members/m-bad/balance')).body.error.code).toBe('READ_MODEL_PARKED');
    expect((await t.call('GET', '/v1/admin/parked-streams')).body.parkedStreams).toEqual(before);
  });
});
