import {
  assertSimulationWindow,
  decodeSegmentDefinitionEvent,
  evolveSegmentDefinitions,
  initialSegmentDefinitions,
  invalid,
  normaliseInstant,
  policyProblems,
  ProgramPolicy,
  resolveRewardSegments,
  resolveRuleSegments,
  SEGMENT_DEFINITIONS_STREAM_ID,
  segmentsInForce,
  Simulation,
  SimulationReport,
  SimulationWindow,
  streamPrefixOf,
  toMillis,
} from '@loyalty/domain';
import { EventStore, RecordedEvent } from '@loyalty/event-store';
import { toPolicy } from '../program/program-mapping';
import { ProgramDto } from '../program/program.dto';

/** Events per readAll page: small enough that a page dies young (see the audit's AUDIT_PAGE_SIZE). */
export const SIMULATION_PAGE_SIZE = 3_000;
export const SIMULATION_PROGRESS_INTERVAL_MS = 2_000;

export interface SimulationProgress {
  readonly eventsRead: number;
  /** Members the log has named so far: what the replay holds state for. */
  readonly membersSeen: number;
  readonly elapsedMs: number;
}

/**
 * The candidate as PUT /v1/program would store it: the same mapping, segments
 * named by rules and rewards resolved to their criteria as defined now, and
 * the same checks (400 INVALID_PROGRAM).
 */
export async function candidatePolicy(store: EventStore, dto: ProgramDto): Promise<ProgramPolicy> {
  const policy = toPolicy(dto);
  const problems = policyProblems(policy);
  if (problems.length > 0) throw invalid('INVALID_PROGRAM', `invalid program configuration: ${problems.join('; ')}`, { problems });
  const rules = policy.earning.rules;
  if (!(rules?.some((r) => r.when.segment !== undefined) ?? false) && !policy.rewards.some((r) => r.segment !== undefined)) return policy;
  const definitions = (await store.readStream(SEGMENT_DEFINITIONS_STREAM_ID)).reduce((state, recorded) => {
    const event = decodeSegmentDefinitionEvent(recorded);
    return event ? evolveSegmentDefinitions(state, event) : state;
  }, initialSegmentDefinitions());
  const segments = segmentsInForce(definitions);
  return {
    ...policy,
    earning: rules ? { ...policy.earning, rules: resolveRuleSegments(rules, segments) } : policy.earning,
    rewards: resolveRewardSegments(policy.rewards, segments),
  };
}

/** The window as given, in UTC, refused when it ends after `nowMs` (the replay would settle points not yet due). */
export function simulationWindow(from: string, to: string, nowMs: number): SimulationWindow {
  const window = { from: normaliseInstant(from), to: normaliseInstant(to) };
  if (toMillis(window.to) > nowMs) throw invalid('SIMULATION_WINDOW_IN_FUTURE', 'to may not be in the future', { to: window.to });
  assertSimulationWindow(window);
  return window;
}

/**
 * The IO loop around the pure replay: the log in position order, page by
 * page, the next page read while one is replayed. Progress is reported
 * between pages, at most every `progressIntervalMs` (0: after every page,
 * the last one included, before the report is built).
 */
export async function runSimulation(
  store: EventStore,
  window: SimulationWindow,
  candidate: ProgramPolicy,
  onProgress?: (progress: SimulationProgress) => void,
  progressIntervalMs = SIMULATION_PROGRESS_INTERVAL_MS,
): Promise<SimulationReport> {
  const simulation = new Simulation(window, candidate);
  const filter = {
    streamNamePrefixes: [
      streamPrefixOf('member'),
      streamPrefixOf('program'),
      streamPrefixOf('rule-budget'),
      streamPrefixOf('segment-definitions'),
    ],
  };
  const read = (after: bigint | undefined): Promise<RecordedEvent[]> => store.readAll({ after, maxCount: SIMULATION_PAGE_SIZE, filter });
  const started = Date.now();
  let reportedAt = started;
  let page = await read(undefined);
  while (page.length > 0) {
    const next = read(page[page.length - 1]!.position);
    for (const event of page) simulation.feed(event);
    const now = Date.now();
    if (onProgress && now - reportedAt >= progressIntervalMs) {
      reportedAt = now;
      onProgress({ eventsRead: simulation.eventsReadSoFar, membersSeen: simulation.membersSeenSoFar, elapsedMs: now - started });
    }
    page = await next;
  }
  return simulation.finish();
}
