import { decodeBudgetEvent, decodeMemberEvent, decodeProgramEvent, decodeSegmentDefinitionEvent, StoredEvent } from '../streams/decode';
import { isStreamOf, STREAM_KINDS } from '../streams/catalogue';
import { MemberCommand, ProgramInForce, RecordPurchase, RedeemPoints } from '../member/commands';
import { decideMember } from '../member/decide';
import { MemberEvent } from '../member/events';
import { initialMemberState, MemberState, OwnedMemberFold } from '../member/state';
import { evolveProgram, initialProgramState, ProgramState, requireProgram } from '../program/program';
import { ProgramPolicy } from '../program/policy';
import { reservationsFor, ruleBudgets } from '../budgets/budgets';
import { outOfStock, stockReservationFor } from '../rewards/rewards';
import { Lot } from '../lots/lots';
import { awardsBirthdayBonus, lotDueAt } from '../member/due';
import { birthdayBonusAt, birthdayYearOf } from '../member/birthday-year';
import { statusEndsAt } from '../tiers/qualification';
import { evolveSegmentDefinitions, initialSegmentDefinitions, SegmentDefinitionsState, segmentsInForce } from '../segments/definitions';
import { DomainError, invalid } from '../values/errors';
import { Instant, isAfter, toMillis } from '../values/time';
import { birthDateTold, commandOf, decisionInstant, DecisionSplitter, RecordedDecision } from './recorded-decisions';
import { Figures, FiguresBuilder, MemberTally, RefusalFigures, SegmentJudge, startTally } from './figures';

/** A window longer than this is refused: a replay reads the whole log, and a year is what it is meant for. */
export const SIMULATION_WINDOW_DAYS_MAX = 400;
const MS_PER_DAY = 86_400_000;

/** A stored event with its place in the log, as the event store returns it. */
export interface PositionedEvent extends StoredEvent {
  readonly position: bigint;
}

export interface SimulationWindow {
  /** Exclusive: decisions at or before it make the members' opening state. */
  readonly from: Instant;
  /** Inclusive. */
  readonly to: Instant;
}

export interface SimulationReport {
  readonly from: Instant;
  readonly to: Instant;
  readonly eventsRead: number;
  /** Events of types this code does not know (and what their commands wrote after them): counted, not replayed. */
  readonly eventsSkipped: number;
  readonly membersReplayed: number;
  readonly current: Figures;
  readonly candidate: Figures;
}

/** Refuses an empty, reversed or too long window: a value error with a stable code. */
export function assertSimulationWindow(window: SimulationWindow): void {
  const spanMs = toMillis(window.to) - toMillis(window.from);
  if (spanMs <= 0) throw invalid('INVALID_SIMULATION_WINDOW', 'to must be after from', { ...window });
  if (spanMs > SIMULATION_WINDOW_DAYS_MAX * MS_PER_DAY) {
    throw invalid('SIMULATION_WINDOW_TOO_LONG', `a simulation covers at most ${SIMULATION_WINDOW_DAYS_MAX} days`, {
      ...window,
      maxDays: SIMULATION_WINDOW_DAYS_MAX,
    });
  }
}

/** Where a member's decisions fall: before the window (folded as recorded), in it (decided again), after it (ignored). */
type Phase = 'before' | 'window' | 'after';

interface MemberCursor {
  readonly splitter: DecisionSplitter;
  phase: Phase;
  /**
   * The recorded decisions before the window, folded in place; undefined
   * once the window starts, where this very fold goes on as the current
   * side, so a member's recorded events are folded once and its state is
   * held twice (current, candidate), never three times.
   */
  opening: OwnedMemberFold | undefined;
  enrolledAt: Instant | null;
  current: MemberTally | undefined;
  candidate: MemberTally | undefined;
  birthDate: string | null;
}

class RefusalCounter {
  private readonly redemptions: { count: number; points: number; byCode: Record<string, number> } = { count: 0, points: 0, byCode: {} };
  private readonly commands: Record<string, number> = {};

  add(command: MemberCommand, error: DomainError): void {
    if (command.type !== 'RedeemPoints') {
      this.commands[error.code] = (this.commands[error.code] ?? 0) + 1;
      return;
    }
    this.redemptions.count += 1;
    this.redemptions.points += typeof error.details.requested === 'number' ? error.details.requested : (command.points ?? 0);
    this.redemptions.byCode[error.code] = (this.redemptions.byCode[error.code] ?? 0) + 1;
  }

  redemptionFigures = (): RefusalFigures => ({ ...this.redemptions, byCode: { ...this.redemptions.byCode } });
  commandFigures = (): Record<string, number> => ({ ...this.commands });
}

/**
 * Replays a window of the log under a candidate program, in memory: each
 * member starts the window in the state its recorded decisions before `from`
 * left it, then every recorded decision in the window (enrolments, purchases,
 * refunds, redemptions as recorded, actions, the daily job's runs at their
 * recorded instants, ...) is decided again, once under the program that was in
 * force when it was recorded (`current`, which reproduces the log) and once
 * under the candidate. At `to` both sides settle every member, as the daily job
 * would. Rule budgets and reward stock are simulated in memory for the
 * candidate. Fed the log in position order, it holds a few states per member,
 * never the log.
 */
export class Simulation {
  private readonly members = new Map<string, MemberCursor>();
  private readonly programVersions: { position: bigint; state: ProgramState }[] = [];
  private program: ProgramState = initialProgramState();
  private segmentDefinitions: SegmentDefinitionsState = initialSegmentDefinitions();
  /** Budget spent on each rule key before the window, then by the candidate's own reservations. */
  private readonly candidateSpent = new Map<string, number>();
  private readonly candidateBudgets: ReadonlyMap<string, number>;
  private readonly currentRefusals = new RefusalCounter();
  private readonly candidateRefusals = new RefusalCounter();
  private readonly lotDueMs = new WeakMap<Lot, number>();
  private eventsRead = 0;
  private eventsSkipped = 0;
  private membersReplayed = 0;

  constructor(
    private readonly window: SimulationWindow,
    private readonly candidatePolicy: ProgramPolicy,
  ) {
    assertSimulationWindow(window);
    this.candidateBudgets = ruleBudgets(candidatePolicy);
  }

  get eventsReadSoFar(): number {
    return this.eventsRead;
  }

  /** Members the log has named so far, each with a cursor (and its states) until finish(). */
  get membersSeenSoFar(): number {
    return this.members.size;
  }

  feed(recorded: PositionedEvent): void {
    this.eventsRead += 1;
    if (isStreamOf('member', recorded.streamId)) return this.feedMember(recorded);
    const programEvent = decodeProgramEvent(recorded);
    if (programEvent) {
      this.program = evolveProgram(this.program, programEvent);
      this.programVersions.push({ position: recorded.position, state: this.program });
      return;
    }
    const budget = decodeBudgetEvent(recorded);
    if (budget && !isAfter(budget.data.occurredAt, this.window.from)) {
      this.candidateSpent.set(budget.data.ruleKey, (this.candidateSpent.get(budget.data.ruleKey) ?? 0) + budget.data.points);
      return;
    }
    const segments = decodeSegmentDefinitionEvent(recorded);
    if (segments && !isAfter(segments.data.occurredAt, this.window.to)) {
      this.segmentDefinitions = evolveSegmentDefinitions(this.segmentDefinitions, segments);
    }
  }

  /** Settles and adds up every member, letting go of each one's states as it is counted: call it once, at the end of the log. */
  finish(): SimulationReport {
    const judge = new SegmentJudge(segmentsInForce(this.segmentDefinitions), this.window.to);
    const current = new FiguresBuilder(judge.names);
    const candidate = new FiguresBuilder(judge.names);
    const currentProgram = this.programAt(this.window.to);
    const candidateProgram = this.candidateProgram();
    for (const [memberId, cursor] of this.members) {
      this.members.delete(memberId);
      const closed = cursor.splitter.flush();
      if (closed) this.handle(cursor, closed);
      if (!cursor.current && !cursor.opening?.state.enrolled) continue;
      const sides = this.enterWindow(cursor);
      this.settleAtEnd(sides.current, currentProgram, cursor.birthDate, this.currentRefusals);
      this.settleAtEnd(sides.candidate, candidateProgram, cursor.birthDate, this.candidateRefusals);
      const segments = judge.segmentsOf(sides.current.state);
      current.add(sides.current, segments);
      candidate.add(sides.candidate, segments);
    }
    return {
      from: this.window.from,
      to: this.window.to,
      eventsRead: this.eventsRead,
      eventsSkipped: this.eventsSkipped,
      membersReplayed: this.membersReplayed,
      current: current.build(
        currentProgram.policy.pointValueMinor,
        this.currentRefusals.redemptionFigures(),
        this.currentRefusals.commandFigures(),
      ),
      candidate: candidate.build(
        this.candidatePolicy.pointValueMinor,
        this.candidateRefusals.redemptionFigures(),
        this.candidateRefusals.commandFigures(),
      ),
    };
  }

  private feedMember(recorded: PositionedEvent): void {
    const memberId = recorded.streamId.slice(STREAM_KINDS.member.prefix.length);
    const cursor = this.cursorOf(memberId);
    const event = decodeMemberEvent(recorded);
    if (!event) this.eventsSkipped += 1;
    const closed = event ? cursor.splitter.push(event, recorded.position) : cursor.splitter.pushUnknown(recorded.position);
    if (closed) this.handle(cursor, closed);
  }

  private cursorOf(memberId: string): MemberCursor {
    let cursor = this.members.get(memberId);
    if (!cursor) {
      cursor = {
        splitter: new DecisionSplitter(),
        phase: 'before',
        opening: new OwnedMemberFold(initialMemberState()),
        enrolledAt: null,
        current: undefined,
        candidate: undefined,
        birthDate: null,
      };
      this.members.set(memberId, cursor);
    }
    return cursor;
  }

  private handle(cursor: MemberCursor, decision: RecordedDecision): void {
    if (decision.kind === 'unknown') {
      this.eventsSkipped += decision.events.length;
      return;
    }
    for (const e of decision.events) cursor.birthDate = birthDateTold(e, cursor.enrolledAt ?? e.data.occurredAt, cursor.birthDate);
    if (decision.events[0]!.type === 'MemberEnrolled') cursor.enrolledAt = decision.events[0].data.occurredAt;
    const instant = decisionInstant(decision);
    if (cursor.phase === 'before' && !isAfter(instant, this.window.from)) {
      cursor.opening?.apply(decision.events);
      return;
    }
    if (cursor.phase === 'after' || isAfter(instant, this.window.to)) {
      cursor.phase = 'after';
      return;
    }
    const sides = this.enterWindow(cursor);
    // Both sides as they stood before the decision: what was due then on the candidate's side only.
    this.settleCandidateAhead(sides, instant, cursor.birthDate);
    // The log is what the programs in force decided: the property test shows deciding it again gives these very events.
    applyTo(sides.current, decision.events);
    this.replayCandidate(sides.candidate, decision, cursor.birthDate);
  }

  /**
   * The daily job visits a member when the program in force makes something
   * due, so its recorded runs follow the current program's dates. Lots the
   * candidate makes due sooner (a shorter expiry or return window) are
   * settled before the member's next decision, as the job would have done;
   * under the same program nothing is ever due on one side only.
   */
  private settleCandidateAhead(sides: { current: MemberTally; candidate: MemberTally }, instant: Instant, birthDate: string | null): void {
    const asOfMs = toMillis(instant);
    const dueNow = new Set<string>();
    for (const lot of sides.current.state.lots) if (this.isDue(lot, asOfMs)) dueNow.add(lot.lotId);
    if (sides.candidate.state.lots.every((lot) => !this.isDue(lot, asOfMs) || dueNow.has(lot.lotId))) return;
    this.settle(sides.candidate, instant, this.candidateProgram(), birthDate, this.candidateRefusals);
  }

  /**
   * Lots are immutable and shared between states until they change, so each
   * one's due instant is parsed once; a spent lot is never due, and most of a
   * member's lots are spent, so only the others take an entry.
   */
  private isDue(lot: Lot, asOfMs: number): boolean {
    if (lot.remaining <= 0 && lot.status !== 'pending') return false;
    let dueMs = this.lotDueMs.get(lot);
    if (dueMs === undefined) {
      const dueAt = lotDueAt(lot);
      dueMs = dueAt === null ? Number.POSITIVE_INFINITY : toMillis(dueAt);
      this.lotDueMs.set(lot, dueMs);
    }
    return dueMs <= asOfMs;
  }

  private enterWindow(cursor: MemberCursor): { current: MemberTally; candidate: MemberTally } {
    if (!cursor.current || !cursor.candidate) {
      const opening = cursor.opening!;
      cursor.opening = undefined;
      cursor.candidate = startTally(new OwnedMemberFold(opening.state));
      cursor.current = startTally(opening);
      if (cursor.phase === 'before') cursor.phase = 'window';
      this.membersReplayed += 1;
    }
    return { current: cursor.current, candidate: cursor.candidate };
  }

  private replayCandidate(tally: MemberTally, decision: RecordedDecision, birthDate: string | null): void {
    const command = commandOf(decision, { program: this.candidateProgram(), birthDate });
    if (!command) return;
    if (command.type === 'RecordPurchase')
      return this.decideInto(tally, this.withCandidateBudgets(command, tally.state), this.candidateRefusals);
    if (command.type === 'RedeemPoints') return this.redeemFromCandidateStock(tally, command);
    this.decideInto(tally, command, this.candidateRefusals);
  }

  /** Decides and applies a command on one side; a refusal leaves the side as it was and is counted. */
  private decideInto(tally: MemberTally, command: MemberCommand, refusals: RefusalCounter): void {
    let events: MemberEvent[];
    try {
      events = decideMember(command, tally.state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return refusals.add(command, error);
    }
    applyTo(tally, events);
  }

  /** The candidate's budgets, spent in the order the replay meets purchases: the first decision says what each rule would award. */
  private withCandidateBudgets(command: RecordPurchase, state: MemberState): RecordPurchase {
    if (this.candidateBudgets.size === 0) return command;
    let decision: MemberEvent[];
    try {
      decision = decideMember(command, state);
    } catch (error) {
      if (error instanceof DomainError) return command;
      throw error;
    }
    const requests = reservationsFor(command, decision, this.candidateBudgets);
    if (requests.length === 0) return command;
    const budgetGrants: Record<string, number> = {};
    for (const request of requests) {
      const spent = this.candidateSpent.get(request.ruleKey) ?? 0;
      const granted = Math.min(request.points, Math.max(0, request.budget - spent));
      this.candidateSpent.set(request.ruleKey, spent + granted);
      budgetGrants[request.ruleKey] = granted;
    }
    return { ...command, budgetGrants };
  }

  private redeemFromCandidateStock(tally: MemberTally, command: RedeemPoints): void {
    let decision: MemberEvent[];
    try {
      decision = decideMember(command, tally.state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.candidateRefusals.add(command, error);
    }
    const unit = stockReservationFor(command, decision);
    if (unit) {
      const spent = this.candidateSpent.get(unit.ruleKey) ?? 0;
      if (spent >= unit.budget) return this.candidateRefusals.add(command, outOfStock(command, unit));
      this.candidateSpent.set(unit.ruleKey, spent + 1);
    }
    applyTo(tally, decision);
  }

  /** The end-of-window run, for a member the daily job would visit by `to`: most have nothing due, and a run costs a decision. */
  private settleAtEnd(tally: MemberTally, program: ProgramInForce, birthDate: string | null, refusals: RefusalCounter): void {
    const { to } = this.window;
    if (this.hasDueBy(tally.state, to, program.policy, birthDate)) this.settle(tally, to, program, birthDate, refusals);
  }

  /** What settle() would find to do by asOf: a lot to activate or expire, a status that ended, a birthday bonus, a lapse. */
  private hasDueBy(state: MemberState, asOf: Instant, policy: ProgramPolicy, birthDate: string | null): boolean {
    const asOfMs = toMillis(asOf);
    if (state.lots.some((lot) => this.isDue(lot, asOfMs))) return true;
    const statusEnd = statusEndsAt(policy, state);
    if (statusEnd !== null && toMillis(statusEnd) <= asOfMs) return true;
    const year = birthdayYearOf(asOf);
    if (awardsBirthdayBonus(policy) && birthDate !== null && !state.birthdayYears.has(year)) {
      if (toMillis(birthdayBonusAt(year, birthDate, state.enrolledAt)) <= asOfMs) return true;
    }
    return [...state.memberships.values()].some((m) => !m.lapsed && toMillis(m.periodEnd) <= asOfMs);
  }

  private settle(tally: MemberTally, asOf: Instant, program: ProgramInForce, birthDate: string | null, refusals: RefusalCounter): void {
    const memberId = tally.state.memberId;
    if (!tally.state.enrolled || memberId === null) return;
    this.decideInto(
      tally,
      { type: 'SettleMember', memberId, occurredAt: asOf, receivedAt: asOf, requestHash: '', asOf, birthDate, program },
      refusals,
    );
  }

  private candidateProgram(): ProgramInForce {
    const latest = this.programVersions[this.programVersions.length - 1]?.state.version ?? 0;
    return { version: latest + 1, policy: this.candidatePolicy };
  }

  /** The version configured last at or before an instant (the end-of-window settlement runs under it). */
  private programAt(instant: Instant): ProgramInForce {
    let state = this.programVersions[0]?.state ?? initialProgramState();
    for (const v of this.programVersions)
      if (v.state.configuredAt !== undefined && !isAfter(v.state.configuredAt, instant)) state = v.state;
    return { version: state.version, policy: requireProgram(state) };
  }
}

function applyTo(tally: MemberTally, events: readonly MemberEvent[]): void {
  for (const e of events) {
    if (e.type === 'PointsAccrued') tally.issuedBySource[e.data.source] += e.data.points;
    if (e.type === 'PurchaseRecorded') tally.revenueMinor += e.data.amountMinor;
    if (e.type === 'PurchaseRefunded') tally.revenueMinor -= e.data.amountMinor;
    if (e.type === 'TierChanged') tally.tiersReached.add(e.data.to);
    if (e.type === 'MemberEnrolled' && e.data.tier !== null) tally.tiersReached.add(e.data.tier);
  }
  tally.fold.apply(events);
}

/** Feeds a whole log (any iterable, in position order) and reports. */
export function simulate(log: Iterable<PositionedEvent>, window: SimulationWindow, candidate: ProgramPolicy): SimulationReport {
  const simulation = new Simulation(window, candidate);
  for (const event of log) simulation.feed(event);
  return simulation.finish();
}
