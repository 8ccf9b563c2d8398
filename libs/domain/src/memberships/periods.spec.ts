import { programInForce } from '../testing/fixtures';
import { enrol, historyOf, payMembership, startMembership } from '../testing/member-commands';
import { MemberEvent } from '../member/events';
import { periodEndAfter } from './plans';

const NEW_YORK = 'America/New_York';
const RECEIVED = '2030-01-01T00:00:00.000Z';

describe('membership periods in the program time zone', () => {
  it('a month ends at the same local wall-clock time across the March daylight-saving change (10:00 EST -> 10:00 EDT)', () => {
    expect(periodEndAfter({ period: 'month' }, '2026-02-20T15:00:00.000Z', NEW_YORK)).toBe('2026-03-20T14:00:00.000Z');
    expect(periodEndAfter({ period: 'month' }, '2026-10-20T14:00:00.000Z', NEW_YORK)).toBe('2026-11-20T15:00:00.000Z');
  });

  it('a period starting on a day the next month lacks ends on its last day, in local time', () => {
    // 30 January 20:00 in New York is 31 January in UTC, where the month would end on 28 February 01:00Z: a local day early.
    expect(periodEndAfter({ period: 'month' }, '2026-01-31T01:00:00.000Z', NEW_YORK)).toBe('2026-03-01T01:00:00.000Z');
    expect(periodEndAfter({ period: 'year' }, '2028-02-29T12:00:00.000Z', 'UTC')).toBe('2029-02-28T12:00:00.000Z');
  });

  it('keeps seconds and milliseconds', () => {
    expect(periodEndAfter({ period: 'year' }, '2026-03-01T10:00:07.123Z', 'Europe/Paris')).toBe('2027-03-01T10:00:07.123Z');
  });

  it('a local time the change skips ends just after the gap', () => {
    expect(periodEndAfter({ period: 'month' }, '2026-02-08T07:30:00.000Z', NEW_YORK)).toBe('2026-03-08T07:30:00.000Z');
  });

  it('memberships count their periods in the zone the program had when they started', () => {
    const plan = { planId: 'monthly', feeMinor: 1499, period: 'month' as const, benefits: {} };
    const program = programInForce({ timeZone: NEW_YORK, plans: [plan] });
    const at = (occurredAt: string) => ({ occurredAt, receivedAt: RECEIVED, program });
    const moved = programInForce({ timeZone: 'Asia/Tokyo', plans: [plan] }, 2);
    const history = historyOf(
      enrol(at('2026-01-10T15:00:00.000Z')),
      startMembership({ planId: 'monthly', ...at('2026-02-10T15:00:00.000Z') }),
      payMembership({ ...at('2026-02-10T15:00:00.000Z'), program: moved }),
    );
    const ends = history.flatMap((e: MemberEvent) =>
      e.type === 'MembershipStarted' || e.type === 'MembershipPaymentRecorded' ? [e.data.periodEnd] : [],
    );
    expect(ends).toEqual(['2026-03-10T14:00:00.000Z', '2026-03-10T14:00:00.000Z']);
  });
});
