import { readFileSync } from 'fs';
import { join } from 'path';
import { MemberCommand } from '../member/commands';
import { decideMember } from '../member/decide';
import { MemberEvent } from '../member/events';
import { evolveMember, initialMemberState } from '../member/state';
import { ProgramInForce } from '../member/commands';
import { DomainError } from '../values/errors';

/**
 * A log written before earning rules existed (at ff7a58e: generated member
 * histories under a program with category multipliers, tiers and three
 * offers), replayed through today's decider: every command is refused or
 * accepted as it was, and every accrual is the same event (points, rule ids,
 * lot, dates).
 */
interface RecordedStep {
  readonly command: MemberCommand;
  readonly accruals?: readonly MemberEvent[];
  readonly refused?: string;
}
interface RecordedLog {
  readonly program: ProgramInForce;
  readonly members: readonly { memberId: string; pendingDays: number; expiryMonths: number; steps: readonly RecordedStep[] }[];
}

const log: RecordedLog = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'log-before-rules.json'), 'utf8'));

describe('a log written under the configurations before earning rules', () => {
  it('holds offer accruals, so the replay compares the rules that became offers', () => {
    const sources = log.members.flatMap((m) =>
      m.steps.flatMap((s) => (s.accruals ?? []).map((a) => a.type === 'PointsAccrued' && a.data.source)),
    );
    expect(sources.filter((s) => s === 'offer').length).toBeGreaterThan(20);
  });

  it.each(log.members.map((m) => [m.memberId, m] as const))('replays %s with the same accruals', (_, recorded) => {
    const program = {
      ...log.program,
      policy: { ...log.program.policy, pendingDays: recorded.pendingDays, expiryMonths: recorded.expiryMonths },
    };
    let state = initialMemberState();
    for (const step of recorded.steps) {
      const command = { ...step.command, program };
      try {
        const events = decideMember(command, state);
        state = events.reduce(evolveMember, state);
        expect({ step: command, accruals: events.filter((e) => e.type === 'PointsAccrued') }).toEqual({
          step: command,
          accruals: step.accruals,
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        expect({ step: command, refused: error.code }).toEqual({ step: command, refused: step.refused });
      }
    }
  });
});
