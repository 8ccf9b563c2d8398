import { DecisionSplitter, commandOf } from '../simulation/recorded-decisions';
import { member } from '../testing/fixtures';
import { decideMember } from './decide';
import { foldMember } from './state';
import { enrol, feedback } from '../testing/member-commands';
import { actionAccrued, actionRecorded, enrolled, erased, welcomeAccrued } from '../testing/member-events';

const ENROLLED = [enrolled(), welcomeAccrued()];
const REVIEW = { kind: 'review', rating: 5, subject: 'latte', sealedText: 'v1.sealed-text' } as const;

describe('member feedback', () => {
  it('records a review with its sealed text and earns the review action bonus', () => {
    member
      .given(ENROLLED)
      .when(feedback({ actionId: 'feedback:f1' }))
      .then([actionRecorded({ actionId: 'feedback:f1', feedback: REVIEW }), actionAccrued('feedback:f1', 50)]);
  });

  it('caps reviews like the review action: past the cap the review is recorded without points', () => {
    const twoReviews = [
      ...ENROLLED,
      actionRecorded({ actionId: 'feedback:f1', feedback: REVIEW }),
      actionAccrued('feedback:f1', 50),
      actionRecorded({ actionId: 'a2' }),
      actionAccrued('a2', 50),
    ];
    member
      .given(twoReviews)
      .when(feedback({ actionId: 'feedback:f3' }))
      .then([actionRecorded({ actionId: 'feedback:f3', rewarded: false, feedback: REVIEW })]);
  });

  it('records feedback of a kind the program pays nothing for, where a plain action of that type is refused', () => {
    const survey = { kind: 'survey', rating: null, subject: null, sealedText: null } as const;
    const { program: inForce } = enrol();
    const program = { ...inForce, policy: { ...inForce.policy, earning: { ...inForce.policy.earning, actionBonuses: {} } } };
    member
      .given(ENROLLED)
      .when(feedback({ actionId: 'feedback:s1', actionType: 'survey', feedback: survey, program }))
      .then([actionRecorded({ actionId: 'feedback:s1', actionType: 'survey', rewarded: false, feedback: survey })]);
  });

  it('refuses a rating outside 1 to 5', () => {
    member
      .given(ENROLLED)
      .when(feedback({ feedback: { ...REVIEW, rating: 6 } }))
      .thenThrows('INVALID_FEEDBACK', { rating: 6 });
  });

  it('refuses text from an erased member, whose key is gone for good, and still takes a rating', () => {
    const wasErased = [...ENROLLED, erased()];
    member.given(wasErased).when(feedback()).thenThrows('MEMBER_ERASED');
    const ratingOnly = { ...REVIEW, sealedText: null };
    member
      .given(wasErased)
      .when(feedback({ feedback: ratingOnly }))
      .then([actionRecorded({ actionId: 'feedback:f1', feedback: ratingOnly }), actionAccrued('feedback:f1', 50)]);
  });

  it('comes back with its feedback when a simulation rebuilds the command from the log, so the replay decides the same events', () => {
    const { program: inForce } = enrol();
    const program = { ...inForce, policy: { ...inForce.policy, earning: { ...inForce.policy.earning, actionBonuses: {} } } };
    const before = foldMember(ENROLLED);
    const recorded = decideMember(feedback({ actionId: 'feedback:s2', actionType: 'survey', program }), before);
    const splitter = new DecisionSplitter();
    const decisions = recorded.flatMap((event, i) => splitter.push(event, BigInt(i + 2)) ?? []);
    const [decision] = [...decisions, splitter.flush()].filter((d) => d !== undefined);
    const command = commandOf(decision!, { program, birthDate: null })!;
    expect(decideMember(command, before)).toEqual(recorded);
  });
});
