import { memberStreamId, PROGRAM_STREAM_ID } from '../streams/catalogue';
import { policy } from '../testing/fixtures';
import { enrol, historyOf, purchase } from '../testing/member-commands';
import { PositionedEvent, Simulation } from './simulation';

/** The builders' commands happen on 2026-01-10, inside it. */
const WINDOW = { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };

function logOf(memberIds: readonly string[]): PositionedEvent[] {
  const log: PositionedEvent[] = [
    {
      streamId: PROGRAM_STREAM_ID,
      type: 'ProgramConfigured',
      position: 1n,
      data: { schemaVersion: 1, version: 1, policy: policy(), occurredAt: '2025-12-01T00:00:00.000Z' },
    },
  ];
  for (const memberId of memberIds) {
    for (const e of historyOf(enrol({ memberId }), purchase({ memberId }))) {
      log.push({ streamId: memberStreamId(memberId), type: e.type, data: e.data as never, position: BigInt(log.length + 1) });
    }
  }
  return log;
}

describe('Simulation memory', () => {
  it('holds each member the log names until finish() counts it, and none after', () => {
    const simulation = new Simulation(WINDOW, policy());
    for (const event of logOf(['m1', 'm2'])) simulation.feed(event);
    expect(simulation.membersSeenSoFar).toBe(2);

    expect(simulation.finish().membersReplayed).toBe(2);
    expect(simulation.membersSeenSoFar).toBe(0);
  });
});
