import { memberStreamId, PROGRAM_STREAM_ID } from '@loyalty/domain';
import { policy } from '../../../../libs/domain/src/testing/fixtures';
import { enrol, historyOf, purchase } from '../../../../libs/domain/src/testing/member-commands';
import { EventStore, ReadAllOptions, RecordedEvent } from '@loyalty/event-store';
import { runSimulation, SIMULATION_PAGE_SIZE, SimulationProgress } from './run-simulation';

/** Enough members that their events (enrolment, welcome bonus, purchase, its points) fill more than one page. */
const MEMBERS = 1_100;
const EVENTS_PER_MEMBER = 4;
const WINDOW = { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };

function recorded(streamId: string, type: string, data: object, position: number): RecordedEvent {
  return {
    streamId,
    type,
    data: data as RecordedEvent['data'],
    position: BigInt(position),
    revision: 0n,
    eventId: `e${position}`,
    metadata: {},
  };
}

function logOf(memberCount: number): RecordedEvent[] {
  const log = [
    recorded(
      PROGRAM_STREAM_ID,
      'ProgramConfigured',
      { schemaVersion: 1, version: 1, policy: policy(), occurredAt: '2025-12-01T00:00:00.000Z' },
      1,
    ),
  ];
  for (let i = 0; i < memberCount; i++) {
    const memberId = `m${i}`;
    for (const e of historyOf(enrol({ memberId }), purchase({ memberId }))) {
      log.push(recorded(memberStreamId(memberId), e.type, e.data, log.length + 1));
    }
  }
  return log;
}

/** The one read the replay makes: the log in position order, a page at a time. */
const storeOf = (log: readonly RecordedEvent[]) =>
  ({
    readAll: ({ after, maxCount }: ReadAllOptions) =>
      Promise.resolve(log.filter((e) => after === undefined || e.position > after).slice(0, maxCount)),
  }) as unknown as EventStore;

describe('runSimulation progress', () => {
  it('reports after every page when the interval is 0, the last one with every event and member read', async () => {
    const log = logOf(MEMBERS);
    expect(log.length).toBe(1 + MEMBERS * EVENTS_PER_MEMBER);
    const reports: SimulationProgress[] = [];

    const report = await runSimulation(storeOf(log), WINDOW, policy(), (p) => reports.push(p), 0);

    expect(reports.map((p) => p.eventsRead)).toEqual([SIMULATION_PAGE_SIZE, log.length]);
    expect(reports.map((p) => p.membersSeen)).toEqual([Math.ceil((SIMULATION_PAGE_SIZE - 1) / EVENTS_PER_MEMBER), MEMBERS]);
    expect(report.membersReplayed).toBe(MEMBERS);
  });
});
