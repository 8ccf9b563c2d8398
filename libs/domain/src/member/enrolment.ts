import { EnrolMember } from './commands';
import { accrual, base, idConflict } from './decision-helpers';
import { MemberEvent } from './events';
import { MemberState } from './state';

export function enrol(command: EnrolMember, state: MemberState): MemberEvent[] {
  if (state.enrolled) throw idConflict(command);
  const { memberId, program } = command;
  const tier = program.policy.tiers[0]?.name ?? null;
  const events: MemberEvent[] = [
    {
      type: 'MemberEnrolled',
      data: {
        ...base(command),
        memberType: command.memberType,
        personalData: command.personalData,
        referredBy: command.referredBy,
        tier,
        requestHash: command.requestHash,
      },
    },
  ];
  const welcome = program.policy.earning.welcomeBonus;
  if (welcome > 0) events.push(accrual(command, `welcome:${memberId}`, welcome, 'welcome', memberId, ['welcome'], tier));
  return events;
}
