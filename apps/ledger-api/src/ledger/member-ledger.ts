import { Inject, OnModuleDestroy, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  ClaimKind,
  claimFromEvents,
  claimStreamId,
  ClientIdClaimed,
  decisionKey,
  decideClaim,
  decideMember,
  decodeClaimEvent,
  decodeMemberEvent,
  deterministicEventId,
  MemberCommand,
  MemberCommandOf,
  MemberCommandType,
  MemberEvent,
  MemberState,
  memberStreamId,
  outOfStock,
  reservationsFor,
  resultOf,
  ruleBudgets,
  stockReservationFor,
} from '@loyalty/domain';
import {
  COMMAND_ATTEMPTS_MAX,
  CommandOutcome,
  ConcurrencyExhaustedError,
  EventStore,
  EventToAppend,
  RecordedEvent,
  recordedFrom,
  repeated,
  RETRY_JITTER_MS_MAX,
  runCommand,
  StreamLocks,
  StreamRevision,
  WrongExpectedRevisionError,
} from '@loyalty/event-store';
import { EVENT_STORE } from '../tokens';
import { ExecuteMemberCommand, GlobalIdClaim, MemberReply } from './execute-member.command';
import { BudgetLedger } from './budget-ledger';
import { FoldedMember, MemberStates } from './member-states';

/**
 * The write path for member commands, in steps: decide on the member's
 * stream, claim the command's global id, reserve a purchase's budgeted
 * awards on their budget streams (none for most purchases), append at the
 * revision decided on. The member's state comes from MemberStates, which
 * folds only the events the stream gained since it last folded it.
 * A refusal throws at the first step, so it claims and writes nothing; a
 * repeat decides nothing new, so it claims nothing and answers what its first
 * run recorded.
 */
@CommandHandler(ExecuteMemberCommand)
export class MemberLedger implements ICommandHandler<ExecuteMemberCommand>, OnModuleDestroy {
  private readonly locks = new StreamLocks();
  private readonly states: MemberStates;
  private readonly budgets: BudgetLedger;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(MemberStates) states?: MemberStates,
    @Optional() @Inject(BudgetLedger) budgets?: BudgetLedger,
  ) {
    this.states = states ?? new MemberStates(store);
    this.budgets = budgets ?? new BudgetLedger(store);
  }

  /** Snapshots still being written finish before the database they go to closes. */
  async onModuleDestroy(): Promise<void> {
    await this.states.drain();
  }

  /** Commands for one member run one at a time in this process: concurrent requests queue instead of racing to a conflict. */
  execute<T extends MemberCommandType>({ command, claim }: ExecuteMemberCommand<T>): Promise<MemberReply<T>> {
    return this.locks.run(memberStreamId(command.memberId), () => this.write(command, claim));
  }

  private async write<T extends MemberCommandType>(command: MemberCommandOf<T>, claim?: GlobalIdClaim): Promise<MemberReply<T>> {
    const stream = memberStream(command);
    const folded = await this.states.load(stream.streamId);
    const decided = stream.decide(folded.state);
    if (claim && decided.length > 0) await this.claim(claim, command);
    for (const code of issuedCouponCodes(decided)) await this.claim({ kind: 'coupon', id: code }, command);
    const budgeted = await this.withBudgets(command, folded.state, decided);
    const outcome = await this.append(budgeted.stream, folded, budgeted.decision);
    return {
      created: outcome.appended,
      position: Number(outcome.position),
      result: resultOf(command, memberEvents(outcome.events)),
    };
  }

  /**
   * Budgets are exact: every budgeted award is first reserved on its rule's
   * budget stream at the revision read (see budgets.ts), then the purchase
   * is decided again with what was reserved, so no accrual exceeds its
   * reservation. A purchase without budgeted awards costs nothing more.
   * Reward stock is the same budget in units: a redemption whose unit cannot
   * be reserved is refused before the member's stream is written.
   */
  private async withBudgets(
    command: MemberCommand,
    state: MemberState,
    decision: MemberEvent[],
  ): Promise<{ stream: MemberStream; decision: MemberEvent[] }> {
    const stream = memberStream(command);
    if (command.type === 'RedeemPoints') {
      const unit = stockReservationFor(command, decision);
      if (unit && (await this.budgets.reserve(unit)) === 0) throw outOfStock(command, unit);
      return { stream, decision };
    }
    if (command.type !== 'RecordPurchase' || decision.length === 0) return { stream, decision };
    const requests = reservationsFor(command, decision, ruleBudgets(command.program.policy));
    if (requests.length === 0) return { stream, decision };
    const budgetGrants: Record<string, number> = {};
    for (const request of requests) budgetGrants[request.ruleKey] = await this.budgets.reserve(request);
    const granted = memberStream({ ...command, budgetGrants });
    return { stream: granted, decision: granted.decide(state) };
  }

  /**
   * Appended at the revision it was decided on. Should the stream have moved
   * meanwhile (another process), the kept state is dropped and the command
   * read and decided again, a bounded number of times.
   */
  private async append(stream: MemberStream, first: FoldedMember, decision: MemberEvent[]): Promise<CommandOutcome> {
    let folded = first;
    let events = decision;
    for (let attempt = 1; ; attempt++) {
      if (events.length === 0) return this.repeated(stream, folded);
      const toAppend: EventToAppend[] = events.map((e, index) => ({
        eventId: stream.eventId(index, folded.revision),
        type: e.type,
        data: payload(e.data),
      }));
      try {
        const result = await this.store.append(stream.streamId, toAppend, folded.revision);
        const recorded = recordedFrom(stream.streamId, toAppend, result);
        this.states.appended(folded, recorded);
        return { appended: true, events: recorded, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        this.states.forget(stream.streamId);
        if (attempt === COMMAND_ATTEMPTS_MAX) throw new ConcurrencyExhaustedError(stream.streamId);
        // The first conflict is news, not contention: read again at once; later ones spread out.
        if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * RETRY_JITTER_MS_MAX * attempt));
        folded = await this.states.load(stream.streamId);
        events = stream.decide(folded.state);
      }
    }
  }

  /**
   * A command that decided nothing answers with what its first run recorded:
   * found among what this load read or this process last appended, else in
   * the stream read whole up to the revision it was decided at.
   */
  private async repeated(stream: MemberStream, folded: FoldedMember): Promise<CommandOutcome> {
    const known = repeated(stream, [...folded.recent, ...folded.read], folded.revision);
    if (known.events.length > 0 || folded.fromStart) return known;
    const decidedAt = folded.revision;
    const history = (await this.store.readStream(stream.streamId)).filter((e) => decidedAt !== 'no_stream' && e.revision <= decidedAt);
    return repeated(stream, history, decidedAt);
  }

  /** Most ids are new: the claim is appended as if its stream did not exist, and read only when it does. */
  private async claim(claim: GlobalIdClaim, { memberId, requestHash }: MemberCommand): Promise<void> {
    const streamId = claimStreamId(claim.kind, claim.id);
    await runCommand<ClientIdClaimed>(
      this.store,
      {
        streamId,
        eventId: (index) => deterministicEventId(streamId, `claim:${memberId}`, index),
        decide: (history) => decideClaim(claim.kind, claim.id, memberId, requestHash, claimFromEvents(claimEvents(history))),
      },
      [],
    );
  }

  /** The sealed personal data from the member's enrolment, when there is any. */
  async sealedPersonalData(memberId: string): Promise<string | null> {
    const first = await this.store.readStream(memberStreamId(memberId), { maxCount: 1 });
    const data = first[0]?.type === 'MemberEnrolled' ? first[0].data.personalData : null;
    return typeof data === 'string' ? data : null;
  }

  async isEnrolled(memberId: string): Promise<boolean> {
    const first = await this.store.readStream(memberStreamId(memberId), { maxCount: 1 });
    return first[0]?.type === 'MemberEnrolled';
  }

  /** The member that holds a purchase or redemption id, from its claim stream. */
  async claimant(kind: ClaimKind, id: string): Promise<string | undefined> {
    const events = await this.store.readStream(claimStreamId(kind, id));
    return claimFromEvents(claimEvents(events))?.memberId;
  }
}

/** A member command on its stream, decided on the member's folded state. */
interface MemberStream {
  readonly streamId: string;
  eventId(index: number, decidedAt: StreamRevision | 'no_stream'): string;
  decide(state: MemberState): MemberEvent[];
}

function memberStream(command: MemberCommand): MemberStream {
  const streamId = memberStreamId(command.memberId);
  return {
    streamId,
    eventId: (index, decidedAt) => deterministicEventId(streamId, decisionKey(command, decidedAt), index),
    decide: (state) => decideMember(command, state),
  };
}

/** Every code a decision issues is claimed by the member before the append, like a client id: codes stay unique and find their member. */
const issuedCouponCodes = (decided: readonly MemberEvent[]): string[] =>
  decided.flatMap((event) => (event.type === 'CouponIssued' ? [event.data.code] : []));

const payload = (data: object): Record<string, unknown> => data as Record<string, unknown>;

const memberEvents = (history: readonly RecordedEvent[]): MemberEvent[] => history.flatMap((recorded) => decodeMemberEvent(recorded) ?? []);

const claimEvents = (history: readonly RecordedEvent[]): ClientIdClaimed[] =>
  history.flatMap((recorded) => decodeClaimEvent(recorded) ?? []);
