import { member, programInForce } from '../testing/fixtures';
import { enrol, purchase } from '../testing/member-commands';
import { experimentProblems, ExperimentPolicy, variantOf } from './experiments';
import { PointsAccrued } from '../member/events';
import { policyProblems } from '../program/program';
import { policy } from '../testing/fixtures';

const experiment: ExperimentPolicy = {
  experimentId: 'rate-2026',
  startsAt: '2026-01-01T00:00:00.000Z',
  endsAt: '2026-07-01T00:00:00.000Z',
  variants: [
    { name: 'control', weightPercent: 50, pointsPerUnit: 1 },
    { name: 'double', weightPercent: 50, pointsPerUnit: 2 },
  ],
};

describe('experiments', () => {
  it('assign each member a variant deterministically, close to the weights', () => {
    const counts = { control: 0, double: 0 } as Record<string, number>;
    for (let i = 0; i < 2000; i++) counts[variantOf(experiment, `m-${i}`).name]!++;
    expect(variantOf(experiment, 'm-7')).toEqual(variantOf(experiment, 'm-7'));
    expect(counts.control).toBeGreaterThan(900);
    expect(counts.double).toBeGreaterThan(900);
  });

  it("earn at the member's variant rate during the experiment and record the variant", () => {
    const program = programInForce({ experiments: [experiment] });
    const memberId = ['a', 'b', 'c', 'd', 'e', 'f'].find((id) => variantOf(experiment, id).name === 'double')!;
    const history = member.given([]).when(enrol({ memberId, program }));
    let enrolled: ReturnType<typeof Array.prototype.slice> = [];
    history.thenMatches((events) => (enrolled = events));
    member
      .given(enrolled)
      .when(purchase({ memberId, program, amountMinor: 1000, occurredAt: '2026-02-01T00:00:00.000Z' }))
      .thenMatches((events) => {
        const accrual = events.find((e): e is PointsAccrued => e.type === 'PointsAccrued')!;
        expect(accrual.data).toMatchObject({ points: 20, ruleIds: ['base', 'experiment:rate-2026:double'] });
      });
    member
      .given(enrolled)
      .when(purchase({ memberId, program, amountMinor: 1000, occurredAt: '2026-07-01T00:00:00.000Z' }))
      .thenMatches((events) =>
        expect(events.find((e) => e.type === 'PointsAccrued')!.data).toMatchObject({ points: 10, ruleIds: ['base'] }),
      );
  });

  it('refuse weights that do not add up and overlapping windows', () => {
    expect(
      experimentProblems([
        {
          ...experiment,
          variants: [
            { name: 'a', weightPercent: 60, pointsPerUnit: 1 },
            { name: 'b', weightPercent: 30, pointsPerUnit: 1 },
          ],
        },
      ]),
    ).toEqual(['experiment rate-2026: variant weights must add up to 100']);
    expect(
      policyProblems(
        policy({ experiments: [experiment, { ...experiment, experimentId: 'other', startsAt: '2026-06-01T00:00:00.000Z', endsAt: null }] }),
      ),
    ).toEqual([expect.stringContaining('overlap')]);
  });
});
