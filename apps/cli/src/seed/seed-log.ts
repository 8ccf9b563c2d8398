import {
  decideProgram,
  initialProgramState,
  evolveProgram,
  memberStreamId,
  PROGRAM_STREAM_ID,
  ProgramInForce,
  ProgramPolicy,
  ProgramState,
} from '@loyalty/domain';
import { APPEND_EVENTS_MAX, EventStore } from '@loyalty/event-store';
import { memberHistory, SeedTimeline } from './member-history';
import { between, seededRandom } from './random';

/** Appends in flight at once: enough to hide round trips, few enough for a 20-connection pool. */
export const SEED_APPENDS_IN_FLIGHT_MAX = 16;

export interface SeedOptions {
  readonly events: number;
  readonly members: number;
  readonly seed: number;
  readonly onProgress?: (eventsWritten: number) => void;
}

const POLICY: ProgramPolicy = {
  currency: 'EUR',
  pointValueMinor: 1,
  earning: {
    pointsPerUnit: 1,
    unitMinor: 100,
    categoryMultipliersBp: { coffee: 20_000 },
    welcomeBonus: 100,
    birthdayBonus: 200,
    referralBonus: { referrer: 300, referee: 100 },
    actionBonuses: { review: 50, survey: 30 },
    actionCaps: {},
  },
  pendingDays: 14,
  expiryMonths: 12,
  tiers: [
    { name: 'silver', minSpendMinor: 0, multiplierBp: 10_000 },
    { name: 'gold', minSpendMinor: 100_000, multiplierBp: 15_000 },
  ],
  rewards: [{ rewardId: 'free-coffee', points: 250 }],
};

const START_MS = Date.parse('2024-01-01T00:00:00.000Z');
const END_MS = Date.parse('2026-01-01T00:00:00.000Z');
/** Halfway through, points become worth 2 minor units: two program versions to value against. */
const REPRICE_MS = Date.parse('2025-01-01T00:00:00.000Z');

/**
 * Writes a realistic log through the EventStore port: two program versions,
 * then each member's whole stream, decided by the pure domain, appended in
 * batches of up to APPEND_EVENTS_MAX events with several streams in flight.
 */
export async function seedLog(store: EventStore, options: SeedOptions): Promise<{ events: number; members: number; lastPosition: bigint }> {
  if ((await store.readStream(PROGRAM_STREAM_ID, { maxCount: 1 })).length > 0) {
    throw new Error(`${PROGRAM_STREAM_ID} already exists: seed an empty store (a fresh DATA_DIR or database)`);
  }
  const versions = await configureProgram(store);
  const programAt = (ms: number): ProgramInForce => (ms >= REPRICE_MS ? versions[1]! : versions[0]!);
  const timeline: SeedTimeline = { startMs: START_MS, endMs: END_MS, programAt };
  const random = seededRandom(options.seed);
  const perMember = Math.max(2, Math.round(options.events / options.members));
  let written = 0;
  let members = 0;
  let lastPosition = -1n;
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < options.members && written < options.events; i++) {
    const memberId = `seed-${options.seed}-${String(i).padStart(7, '0')}`;
    const events = memberHistory(memberId, between(random, Math.ceil(perMember / 2), Math.floor((perMember * 3) / 2)), random, timeline);
    written += events.length;
    members += 1;
    const job = (async () => {
      for (let from = 0; from < events.length; from += APPEND_EVENTS_MAX) {
        const result = await store.append(
          memberStreamId(memberId),
          events.slice(from, from + APPEND_EVENTS_MAX),
          from === 0 ? 'no_stream' : BigInt(from - 1),
        );
        if (result.position > lastPosition) lastPosition = result.position;
      }
    })();
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
    if (inFlight.size >= SEED_APPENDS_IN_FLIGHT_MAX) await Promise.race(inFlight);
    options.onProgress?.(written);
  }
  await Promise.all(inFlight);
  return { events: written + versions.length, members, lastPosition };
}

async function configureProgram(store: EventStore): Promise<ProgramInForce[]> {
  let state: ProgramState = initialProgramState();
  const versions: ProgramInForce[] = [];
  const configure = [
    { policy: POLICY, occurredAt: new Date(START_MS).toISOString() },
    { policy: { ...POLICY, pointValueMinor: 2 }, occurredAt: new Date(REPRICE_MS).toISOString() },
  ];
  for (const [i, c] of configure.entries()) {
    const events = decideProgram({ type: 'ConfigureProgram', ...c }, state);
    await store.append(
      PROGRAM_STREAM_ID,
      events.map((e) => ({ eventId: seedProgramEventId(i), type: e.type, data: e.data })),
      i === 0 ? 'no_stream' : BigInt(i - 1),
    );
    state = events.reduce(evolveProgram, state);
    versions.push({ version: state.version, policy: state.policy! });
  }
  return versions;
}

const seedProgramEventId = (i: number) => `00000000-0000-5000-8000-${String(i + 1).padStart(12, '0')}`;
