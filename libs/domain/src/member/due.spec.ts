import fc from 'fast-check';
import { LotSchedule } from '../lots/lots';
import { DomainError } from '../values/errors';
import { Instant, toMillis } from '../values/time';
import { commandsOf, memberPlan, memberPlanWithCoupons, RECEIVED_AT } from '../testing/arbitrary-history';
import { policy, programInForce } from '../testing/fixtures';
import { settle } from '../testing/member-commands';
import { decideMember } from './decide';
import { lotDueAt, memberDue, MemberSchedule, nextSettlementDueAt } from './due';
import { evolveMember, initialMemberState, MemberState } from './state';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const LEAP_DAY_BIRTH_DATE = '1992-02-29';
/** Settlements at the due instants one after another: birthdays of later years, requalifications, lots in turn. */
const RUNS_AT_DUE_INSTANTS = 4;

const lot = (o: Partial<LotSchedule>): LotSchedule => ({ status: 'active', remaining: 100, pendingUntil: null, expiresAt: null, ...o });
const member = (o: Partial<MemberSchedule> = {}): MemberSchedule => ({
  enrolledAt: '2025-01-10T09:00:00.000Z',
  tierQualifiedAt: '2025-01-10T09:00:00.000Z',
  birthDate: null,
  lastBirthdayYear: null,
  ...o,
});

describe('when a lot is due', () => {
  it('is due at pendingUntil while pending, before its expiry', () => {
    const pending = lot({ status: 'pending', pendingUntil: '2026-01-24T09:00:00.000Z', expiresAt: '2027-01-10T09:00:00.000Z' });
    expect(lotDueAt(pending)).toBe('2026-01-24T09:00:00.000Z');
  });

  it('is due at expiresAt while points remain, and never once none do or it never expires', () => {
    expect(lotDueAt(lot({ expiresAt: '2027-01-10T09:00:00.000Z' }))).toBe('2027-01-10T09:00:00.000Z');
    expect(lotDueAt(lot({ remaining: 0, expiresAt: '2027-01-10T09:00:00.000Z' }))).toBeNull();
    expect(lotDueAt(lot({ status: 'expired', remaining: 0, expiresAt: '2027-01-10T09:00:00.000Z' }))).toBeNull();
    expect(lotDueAt(lot({ expiresAt: null }))).toBeNull();
  });

  it('is due at once again when a reversal restored points to it after its expiry', () => {
    const restored = lot({ status: 'active', remaining: 60, expiresAt: '2026-04-27T12:00:00.000Z' });
    expect(lotDueAt(restored)).toBe('2026-04-27T12:00:00.000Z');
  });
});

describe("when a member's own settlement is due", () => {
  it('requalifies twelve calendar months after the last qualification, the day clamped to the month', () => {
    expect(memberDue(member({ tierQualifiedAt: '2025-01-10T09:00:00.000Z' })).requalificationAt).toBe('2026-01-10T09:00:00.000Z');
    expect(memberDue(member({ tierQualifiedAt: '2024-02-29T12:00:00.000Z' })).requalificationAt).toBe('2025-02-28T12:00:00.000Z');
  });

  it('awards a 29 February birthday on 28 February outside leap years and on 29 February in them', () => {
    const leapDay = member({ birthDate: LEAP_DAY_BIRTH_DATE });
    expect(memberDue(leapDay).birthdayBonusAt).toBe('2025-02-28T00:00:00.000Z');
    expect(memberDue({ ...leapDay, lastBirthdayYear: 2027 }).birthdayBonusAt).toBe('2028-02-29T00:00:00.000Z');
  });

  it('awards the enrolment year at enrolment when the birthday came before it, and the year after the latest awarded', () => {
    const enrolledAfter = member({ enrolledAt: '2025-06-01T10:00:00.000Z', birthDate: '1990-03-15' });
    expect(memberDue(enrolledAfter).birthdayBonusAt).toBe('2025-06-01T10:00:00.000Z');
    expect(memberDue({ ...enrolledAfter, lastBirthdayYear: 2025 }).birthdayBonusAt).toBe('2026-03-15T00:00:00.000Z');
  });

  it('awards no birthday bonus without a birth date (never given, or erased)', () => {
    expect(memberDue(member({ birthDate: null, lastBirthdayYear: 2025 })).birthdayBonusAt).toBeNull();
  });
});

describe('the next settlement due instant', () => {
  const schedule = {
    ...member({ birthDate: '1990-03-15', lastBirthdayYear: 2025 }),
    lots: [
      lot({ remaining: 0, expiresAt: '2025-02-01T00:00:00.000Z' }),
      lot({ expiresAt: '2026-02-01T00:00:00.000Z' }),
      lot({ status: 'pending', pendingUntil: '2026-02-14T00:00:00.000Z', expiresAt: '2027-02-01T00:00:00.000Z' }),
    ],
    coupons: [{ status: 'used' as const, expiresAt: '2025-06-01T00:00:00.000Z' }],
  };

  it('is the earliest of the lots, the active coupons, the requalification and the birthday bonus', () => {
    const couponFirst = {
      ...schedule,
      coupons: [...schedule.coupons, { status: 'active' as const, expiresAt: '2026-01-05T00:00:00.000Z' }],
    };
    expect(nextSettlementDueAt(couponFirst, policy())).toBe('2026-01-05T00:00:00.000Z');
    expect(nextSettlementDueAt(schedule, policy())).toBe('2026-01-10T09:00:00.000Z');
    expect(nextSettlementDueAt({ ...schedule, tierQualifiedAt: '2025-12-01T00:00:00.000Z' }, policy())).toBe('2026-02-01T00:00:00.000Z');
  });

  it('leaves out what the program does not do, and is null when nothing will be due', () => {
    const noTiers = policy({ tiers: [] });
    expect(nextSettlementDueAt(schedule, noTiers)).toBe('2026-02-01T00:00:00.000Z');
    const nothing = { ...schedule, lots: [lot({ expiresAt: null })] };
    expect(nextSettlementDueAt(nothing, noTiers)).toBe('2026-03-15T00:00:00.000Z');
    expect(nextSettlementDueAt(nothing, policy({ tiers: [], earning: { ...policy().earning, birthdayBonus: 0 } }))).toBeNull();
  });

  it('is exactly when the settlement first has something to do, after any history and after each run it makes', () => {
    const program = programInForce();
    fc.assert(
      fc.property(fc.oneof(memberPlan, memberPlanWithCoupons), (plan) => {
        for (const history of statesAfter(commandsOf(plan))) {
          let state = history;
          for (let run = 0; run < RUNS_AT_DUE_INSTANTS; run++) {
            const dueAt = nextSettlementDueAt(scheduleOf(state), program.policy)!;
            const settleAt = (asOf: Instant) =>
              decideMember(settle(asOf, { program, birthDate: LEAP_DAY_BIRTH_DATE, receivedAt: later(asOf, RECEIVED_AT) }), state);
            expect(settleAt(new Date(toMillis(dueAt) - 1).toISOString())).toEqual([]);
            const events = settleAt(dueAt);
            expect(events.length).toBeGreaterThan(0);
            state = events.reduce(evolveMember, state);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** The member's state after each command its decision accepted. */
function statesAfter(commands: ReturnType<typeof commandsOf>): MemberState[] {
  const states: MemberState[] = [];
  let state = initialMemberState();
  for (const command of commands) {
    try {
      state = decideMember(command, state).reduce(evolveMember, state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
    states.push(state);
  }
  return states;
}

/** What the balance read model holds of the member, with the birth date the vault would give. */
function scheduleOf(state: MemberState) {
  return {
    lots: state.lots,
    coupons: state.coupons.values(),
    enrolledAt: state.enrolledAt!,
    tierQualifiedAt: state.tierQualifiedAt!,
    birthDate: LEAP_DAY_BIRTH_DATE,
    lastBirthdayYear: state.birthdayYears.size === 0 ? null : Math.max(...state.birthdayYears),
  };
}

const later = (a: Instant, b: Instant): Instant => (toMillis(a) > toMillis(b) ? a : b);
