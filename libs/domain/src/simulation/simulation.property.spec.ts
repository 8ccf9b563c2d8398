import fc from 'fast-check';
import { MemberCommand } from '../member/commands';
import { decideMember } from '../member/decide';
import { MemberEvent } from '../member/events';
import { availablePoints, foldMember, initialMemberState, MemberState, pendingOf } from '../member/state';
import { memberStreamId, PROGRAM_STREAM_ID } from '../streams/catalogue';
import { commandsOf, memberPlan, memberPlanUnderExpiry, memberPlanUnderTierPolicy } from '../testing/arbitrary-history';
import { settle } from '../testing/member-commands';
import { DomainError } from '../values/errors';
import { isAfter, toMillis } from '../values/time';
import { birthDateTold, commandOf, decisionInstant, DecisionSplitter, RecordedDecision } from './recorded-decisions';
import { PositionedEvent, simulate } from './simulation';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const BIRTH_DATE = '1990-06-15';
const HOUR_MS = 3_600_000;

const lastCommandMs = (commands: readonly MemberCommand[]) => Math.max(...commands.map((c) => toMillis(c.occurredAt)));

/** Decides a member's commands as the ledger would, then lets the daily job run once at `end`. */
function record(commands: MemberCommand[], end = new Date(lastCommandMs(commands) + HOUR_MS).toISOString()): MemberEvent[] {
  const all = [
    ...commands,
    settle(end, { memberId: commands[0]!.memberId, program: commands[0]!.program, occurredAt: end, birthDate: BIRTH_DATE }),
  ];
  let state: MemberState = initialMemberState();
  const history: MemberEvent[] = [];
  for (const command of all) {
    try {
      const events = decideMember(command, state);
      history.push(...events);
      state = foldMember(events, state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return history;
}

function decisionsOf(history: readonly MemberEvent[]): RecordedDecision[] {
  const splitter = new DecisionSplitter();
  const decisions = history.flatMap((e, i) => splitter.push(e, BigInt(i + 2)) ?? []);
  const last = splitter.flush();
  return last ? [...decisions, last] : decisions;
}

const anyPlan = fc.oneof(memberPlan, memberPlanUnderExpiry, memberPlanUnderTierPolicy);

describe('a replay under the programs in force (fast-check)', () => {
  it('decides every recorded decision again into exactly the events the ledger recorded', () => {
    fc.assert(
      fc.property(anyPlan, (plan) => {
        const commands = commandsOf(plan);
        const program = commands[0]!.program;
        let state = initialMemberState();
        let birthDate: string | null = null;
        for (const decision of decisionsOf(record(commands))) {
          for (const e of decision.events) birthDate = birthDateTold(e, state.enrolledAt ?? e.data.occurredAt, birthDate);
          const command = commandOf(decision, { program, birthDate })!;
          expect({ command: command.type, events: decideMember(command, state) }).toEqual({
            command: command.type,
            events: decision.events,
          });
          state = foldMember(decision.events, state);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('reports, for the current programs and for the same program as candidate, the figures the log holds', () => {
    fc.assert(
      fc.property(fc.array(anyPlan, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 400 }), (plans, fromDays) => {
        const members = plans.map((plan, i) => ({ commands: commandsOf(plan, `m${i}`), memberId: `m${i}` }));
        const log: PositionedEvent[] = [];
        // One program per log: the first member's; the others are recorded under it too.
        const program = members[0]!.commands[0]!.program;
        const lastMs = Math.max(...members.map((m) => lastCommandMs(m.commands)));
        const from = new Date(Math.min(Date.parse('2025-01-01T00:00:00Z') + fromDays * 86_400_000, lastMs)).toISOString();
        // The daily job's last run, for every member: the window ends there, so settling at `to` finds nothing more.
        const to = new Date(lastMs + HOUR_MS).toISOString();
        const rerecorded = members.map((m) =>
          record(
            m.commands.map((c) => ({ ...c, program })),
            to,
          ),
        );
        log.push({ streamId: PROGRAM_STREAM_ID, type: 'ProgramConfigured', position: 1n, data: programData(program.policy) });
        for (const history of rerecorded) {
          for (const e of history) {
            log.push({ streamId: memberStreamId(e.data.memberId), type: e.type, data: e.data as never, position: BigInt(log.length + 1) });
          }
        }
        const report = simulate(log, { from, to }, program.policy);
        const expected = expectedFigures(rerecorded, from);
        expect(report.current).toMatchObject(expected);
        expect(report.candidate).toEqual(report.current);
        expect(report.eventsRead).toBe(log.length);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});

const programData = (policy: unknown) => ({ schemaVersion: 1, version: 1, policy, occurredAt: '2024-12-01T00:00:00.000Z' });

/** Straight from the recorded events: movements between the window's opening state and the end, and the closing balance. */
function expectedFigures(histories: readonly MemberEvent[][], from: string) {
  let issued = 0;
  let redeemed = 0;
  let expired = 0;
  let outstanding = 0;
  let revenueMinor = 0;
  for (const history of histories) {
    const decisions = decisionsOf(history);
    const cut = decisions.findIndex((d) => isAfter(decisionInstant(d), from));
    const before = cut === -1 ? decisions : decisions.slice(0, cut);
    const start = foldMember(before.flatMap((d) => d.events));
    const end = foldMember(history);
    issued += end.movements.issued - start.movements.issued;
    redeemed += end.movements.redeemed - start.movements.redeemed;
    expired += end.movements.expired - start.movements.expired;
    outstanding += availablePoints(end) + pendingOf(end);
    for (const d of cut === -1 ? [] : decisions.slice(cut)) {
      for (const e of d.events) {
        if (e.type === 'PurchaseRecorded') revenueMinor += e.data.amountMinor;
        if (e.type === 'PurchaseRefunded') revenueMinor -= e.data.amountMinor;
      }
    }
  }
  return { pointsIssued: issued, pointsRedeemed: redeemed, pointsExpired: expired, outstandingPoints: outstanding, revenueMinor };
}
