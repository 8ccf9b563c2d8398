import fc from 'fast-check';
import {
  availablePoints,
  decideMember,
  DomainError,
  evolveMember,
  initialMemberState,
  MemberEvent,
  MemberState,
  pendingOf,
} from '@loyalty/domain';
import { commandsOf, memberPlan } from '../../../domain/src/testing/arbitrary-history';
import { memberEntry, recordedLog } from '../testing/log';
import { asOfWindow, AuditFold, foldEvent, startFold } from './audit-fold';
import { availableOf, MEMBER_AND_INSTANT_ONLY_TYPES, MemberPosition } from './member-position';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const MEMBERS = ['m1', 'm2'];

function historyOf(plan: Parameters<typeof commandsOf>[0], memberId: string): MemberEvent[] {
  let state = initialMemberState();
  const history: MemberEvent[] = [];
  for (const command of commandsOf(plan, memberId)) {
    try {
      const events = decideMember(command, state);
      history.push(...events);
      state = events.reduce(evolveMember, state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return history;
}

/** The figures both folds state for a member, open lots (points left or still pending) by id. */
const ofAudit = (p: MemberPosition) => ({
  available: availableOf(p),
  pending: p.pending,
  debt: p.debt,
  movements: p.period,
  openLots: Object.fromEntries([...p.lots].map(([lotId, lot]) => [lotId, { remaining: lot.remaining, pending: lot.pending }])),
});
/**
 * The domain's fold of the events dated at or before an instant, read as of
 * that instant. Where a lot's expiry (dated at its expiresAt) is in the cut
 * but a consumption of it written before the expiry job is not, the domain
 * marks the lot expired with points left: those points were still held as of
 * the instant (the log consumes them later), and the audit counts them so.
 */
const ofDomain = (s: MemberState) => ({
  available: availablePoints(s) + heldPastExpiry(s),
  pending: pendingOf(s),
  debt: s.debt,
  movements: s.movements,
  openLots: Object.fromEntries(
    s.lots
      .filter((l) => l.remaining !== 0 || l.status === 'pending')
      .map((l) => [l.lotId, { remaining: l.remaining, pending: l.status === 'pending' }]),
  ),
});
const heldPastExpiry = (s: MemberState) => s.lots.reduce((sum, l) => (l.status === 'expired' ? sum + l.remaining : sum), 0);

/**
 * The audit's member positions and the domain's fold are separate
 * computations of the same figures (docs/audit.md): on every generated
 * history they agree for every member, as of every instant an event is dated
 * at and at the end, the members' streams interleaved as in a shared log.
 */
describe('audit member positions against the domain fold (fast-check)', () => {
  it('agree on available, pending, debt, every movement and every open lot, as of every event date', () => {
    fc.assert(
      fc.property(fc.tuple(memberPlan, memberPlan), fc.array(fc.boolean(), { maxLength: 200 }), (plans, interleaving) => {
        const histories = MEMBERS.map((memberId, i) => historyOf(plans[i]!, memberId));
        const queues = histories.map((h) => [...h]);
        const log: MemberEvent[] = [];
        for (const second of interleaving) {
          const event = (second ? queues[1] : queues[0])!.shift();
          if (event) log.push(event);
        }
        log.push(...queues[0]!, ...queues[1]!);
        const recorded = recordedLog(log.map(memberEntry));
        const instants = [...new Set(log.map((e) => Date.parse(e.data.occurredAt)))].sort((a, b) => a - b);
        for (const asOfMs of instants) {
          const fold = startFold(asOfWindow(asOfMs));
          for (const event of recorded) foldEvent(fold, event);
          for (const [i, memberId] of MEMBERS.entries()) {
            const cut = histories[i]!.filter((e) => Date.parse(e.data.occurredAt) <= asOfMs);
            const position = fold.members.get(memberId);
            if (!position) expect(cut).toEqual([]);
            else expect(ofAudit(position)).toEqual(ofDomain(cut.reduce(evolveMember, initialMemberState())));
          }
        }
        // With the whole history folded, no expired lot holds points: the figures are the domain's own.
        for (const history of histories) expect(heldPastExpiry(history.reduce(evolveMember, initialMemberState()))).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Everything a fold holds but its callbacks. */
const held = ({ members, coupons, issuedBySource, maturedIssued, maturedExpired, eventsRead, eventsCounted }: AuditFold) => ({
  members,
  coupons,
  issuedBySource,
  maturedIssued,
  maturedExpired,
  eventsRead,
  eventsCounted,
});

describe('events the fold reads only for their member and instant (fast-check)', () => {
  it('fold the same with every other field of their payload gone, as the audit reads them from Postgres', () => {
    const trimmed: ReadonlySet<string> = new Set(MEMBER_AND_INSTANT_ONLY_TYPES);
    fc.assert(
      fc.property(memberPlan, fc.integer({ min: 0, max: 2 }), (plan, asOfIndex) => {
        const recorded = recordedLog(historyOf(plan, 'm1').map(memberEntry));
        const asOfMs = [Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-06-01T00:00:00Z'), Number.POSITIVE_INFINITY][asOfIndex]!;
        const whole = startFold(asOfWindow(asOfMs));
        const reduced = startFold(asOfWindow(asOfMs));
        for (const event of recorded) {
          foldEvent(whole, event);
          const { memberId, occurredAt } = event.data;
          foldEvent(reduced, trimmed.has(event.type) ? { ...event, data: { memberId, occurredAt } } : event);
        }
        expect(held(reduced)).toEqual(held(whole));
      }),
      { numRuns: RUNS },
    );
  });
});
