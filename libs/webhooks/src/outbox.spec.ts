import { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/postgres';
import { notificationMessage } from './messages';
import { migrateNotificationOutbox, pruneNotifications, readNotifications, recordNotifications } from './outbox';

const expiring = (memberId: string, expiresAt: string) =>
  notificationMessage('PointsExpiringSoon', `${memberId}:${expiresAt}`, expiresAt, memberId, { memberId, points: 10, expiresAt }, null);

describe('the notification outbox', () => {
  let db: DataSource;
  let url: string;

  beforeAll(async () => {
    url = await createTestDatabase('outbox');
    db = new DataSource({ type: 'postgres', url, extra: { max: 4 } });
    await db.initialize();
    await migrateNotificationOutbox(url);
  });
  afterAll(() => db.destroy());
  beforeEach(() => db.query('truncate notifications.outbox'));

  it('migrates an outbox an earlier release created with its idempotent DDL in place, rows kept, and twice at once to one baseline', async () => {
    const earlier = await createTestDatabase('outbox_earlier');
    const old = new DataSource({ type: 'postgres', url: earlier, extra: { max: 2 } });
    await old.initialize();
    await old.query(
      `create schema notifications;
       create table notifications.outbox (seq bigserial primary key, message_id uuid not null unique, type text not null,
         member_id text not null, body text not null, created_at timestamptz not null);`,
    );
    await old.transaction((m) => recordNotifications(m, [expiring('m9', '2027-03-01T00:00:00.000Z')], new Date()));
    await Promise.all([migrateNotificationOutbox(earlier), migrateNotificationOutbox(earlier)]);
    expect((await readNotifications(old, undefined, 10)).map((r) => r.memberId)).toEqual(['m9']);
    const applied = await old.query<Array<{ name: string }>>('select name from notifications.schema_migrations');
    expect(applied.map((r) => r.name)).toEqual(['NotificationsBaseline1764633600000']);
    await old.destroy();
  });

  it('records each occasion once, however often it is derived, in the order recorded', async () => {
    const first = [expiring('m1', '2027-01-01T00:00:00.000Z'), expiring('m2', '2027-01-01T00:00:00.000Z')];
    expect(await db.transaction((m) => recordNotifications(m, first, new Date()))).toBe(2);
    const again = [expiring('m3', '2027-02-01T00:00:00.000Z'), ...first];
    expect(await db.transaction((m) => recordNotifications(m, again, new Date()))).toBe(1);
    const rows = await readNotifications(db, undefined, 10);
    expect(rows.map((r) => r.memberId)).toEqual(['m1', 'm2', 'm3']);
    expect(rows.map((r) => r.messageId)).toEqual([first[0]!.id, first[1]!.id, again[0]!.id]);
    expect((await readNotifications(db, rows[0]!.seq, 10)).map((r) => r.memberId)).toEqual(['m2', 'm3']);
  });

  it('lets a writer append only once the one before it committed, so a reader past a seq never misses a row below it', async () => {
    let releaseFirst!: () => void;
    const firstHolding = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstRecorded!: () => void;
    const recorded = new Promise<void>((resolve) => (firstRecorded = resolve));
    const first = db.transaction(async (m) => {
      await recordNotifications(m, [expiring('early', '2027-01-01T00:00:00.000Z')], new Date());
      firstRecorded();
      await firstHolding;
    });
    await recorded;
    let secondDone = false;
    const second = db
      .transaction((m) => recordNotifications(m, [expiring('late', '2027-01-01T00:00:00.000Z')], new Date()))
      .then(() => (secondDone = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(secondDone).toBe(false);
    expect(await readNotifications(db, undefined, 10)).toEqual([]);
    releaseFirst();
    await Promise.all([first, second]);
    expect((await readNotifications(db, undefined, 10)).map((r) => r.memberId)).toEqual(['early', 'late']);
  });

  it('forgets occasions recorded before the retention cut-off only', async () => {
    const longAgo = new Date('2026-01-01T00:00:00.000Z');
    await db.transaction((m) => recordNotifications(m, [expiring('old', '2026-02-01T00:00:00.000Z')], longAgo));
    await db.transaction((m) => recordNotifications(m, [expiring('new', '2027-02-01T00:00:00.000Z')], new Date()));
    expect(await pruneNotifications(db, new Date('2026-06-01T00:00:00.000Z'))).toBe(1);
    expect((await readNotifications(db, undefined, 10)).map((r) => r.memberId)).toEqual(['new']);
  });

  it('keeps old occasions a Kafka relay has not published yet, and prunes them once it has', async () => {
    const longAgo = new Date('2026-01-01T00:00:00.000Z');
    for (const member of ['a', 'b', 'c'])
      await db.transaction((m) => recordNotifications(m, [expiring(member, '2026-02-01T00:00:00.000Z')], longAgo));
    const [first] = await readNotifications(db, undefined, 1);
    const cutOff = new Date('2026-06-01T00:00:00.000Z');
    expect(await pruneNotifications(db, cutOff, first!.seq)).toBe(1);
    expect((await readNotifications(db, undefined, 10)).map((r) => r.memberId)).toEqual(['b', 'c']);
    expect(await pruneNotifications(db, cutOff, first!.seq + 2n)).toBe(2);
  });
});
