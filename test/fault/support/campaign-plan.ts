import { between, seededRandom } from '../../../apps/cli/src/seed/random';
import { PROGRAM } from '../../support/ledger';
import { StopMode } from './cluster';

/** Concurrent HTTP clients; each owns a slice of the members, so its writes to one member are sequential. */
export const WORKERS = 3;
export const OPERATIONS_PER_WORKER = 1000;
export const INITIAL_MEMBERS = 12;
export const PROGRAM_CHANGES = 4;
const PAUSE_MS = { min: 800, max: 1200 };
const DATABASE_DOWN_MS = { min: 300, max: 1500 };
const PURCHASE_MINOR = { min: 300, max: 25_000 };
/**
 * A refund too small to claw back a point appends a single event that adds
 * no unique row (no ledger entry, lot or purchase row): a batch of those
 * applied twice goes through and shows only in the counters (KPIs,
 * segments), which is what a projector that is not fenced does. Every other
 * event adds a unique row, so a double application of it fails loudly.
 */
const POINTLESS_REFUND_MINOR = { min: 1, max: 25 };
const POINTLESS_REFUND_SHARE = 0.8;
const REDEMPTION_POINTS = { min: 20, max: 300 };
/** Shares of a worker's operations; the rest are redemptions. */
const SHARE = { enrol: 0.06, purchase: 0.4, refund: 0.35 };

/**
 * How many faults of each kind a run injects, in a seeded order. A pause
 * catches a projector applying a batch another one applies too only when
 * that batch adds no unique row (see POINTLESS_REFUND_MINOR), so there are
 * more of them; they are also the cheapest.
 */
export const FAULT_COUNTS = {
  'app-sigkill': 4,
  'projector-sigkill': 4,
  'projector-pause': 12,
  'second-projector': 4,
  'postgres-restart': 4,
} as const;
export type FaultKind = keyof typeof FAULT_COUNTS;
export type Fault =
  | { readonly kind: 'app-sigkill' | 'projector-sigkill' | 'second-projector' }
  /** losesLockSession: the pause outlasts its lock session (terminated meanwhile), so a standby takes over before it resumes. */
  | { readonly kind: 'projector-pause'; readonly pauseMs: number; readonly losesLockSession: boolean }
  | { readonly kind: 'postgres-restart'; readonly mode: StopMode; readonly downMs: number };

export type WriteKind = 'enrol' | 'purchase' | 'refund' | 'redemption' | 'program';

/** One write with its client id; `key` is how its event is found in the log (see logKey). */
export interface Write {
  readonly kind: WriteKind;
  readonly key: string;
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly body: unknown;
}

export type Step = { readonly kind: 'fault'; readonly fault: Fault } | { readonly kind: 'program'; readonly write: Write };

export interface CampaignPlan {
  readonly seed: number;
  /** Before any fault: the program and the initial members. */
  readonly setup: readonly Write[];
  readonly workers: ReadonlyArray<readonly Write[]>;
  /** Faults and program changes, run one after the other while the workers write. */
  readonly steps: readonly Step[];
}

/** A program version is told apart by its survey bonus, which no other write changes. */
const SURVEY_BONUS_BASE = 30;

/** The same seed always gives the same writes and the same faults (their timing against the load varies). */
export function planCampaign(seed: number): CampaignPlan {
  const random = seededRandom(seed);
  const members = Array.from({ length: INITIAL_MEMBERS }, (_, m) => `fc-${m}`);
  const setup = [programWrite(0), ...members.map((memberId, m) => enrolWrite(memberId, m % 3 === 0 ? 'business' : 'individual'))];
  const workers = Array.from({ length: WORKERS }, (_, w) =>
    workerWrites(
      random,
      w,
      members.filter((_, m) => m % WORKERS === w),
    ),
  );
  const faults: Step[] = (Object.keys(FAULT_COUNTS) as FaultKind[]).flatMap((kind) =>
    Array.from({ length: FAULT_COUNTS[kind] }, (_, i) => ({ kind: 'fault' as const, fault: fault(random, kind, i) })),
  );
  const programs: Step[] = Array.from({ length: PROGRAM_CHANGES }, (_, k) => ({ kind: 'program' as const, write: programWrite(k + 1) }));
  return { seed, setup, workers, steps: shuffle(random, [...faults, ...programs]) };
}

function workerWrites(random: () => number, w: number, members: readonly string[]): Write[] {
  const writes: Write[] = [];
  const purchases: Array<{ transactionId: string; amountMinor: number }> = [];
  const member = () => members[between(random, 0, members.length - 1)]!;
  for (let i = 0; i < OPERATIONS_PER_WORKER; i++) {
    const roll = random();
    const id = `w${w}-${i}`;
    if (roll < SHARE.enrol) {
      writes.push(enrolWrite(`fc-new-${id}`, random() < 0.3 ? 'business' : 'individual'));
    } else if (roll < SHARE.enrol + SHARE.refund && purchases.length > 0) {
      const purchase = purchases[between(random, 0, purchases.length - 1)]!;
      const amountMinor =
        random() < POINTLESS_REFUND_SHARE
          ? between(random, POINTLESS_REFUND_MINOR.min, POINTLESS_REFUND_MINOR.max)
          : between(random, 1, Math.ceil(purchase.amountMinor / 2));
      const body = { refundId: `rf-${id}`, amountMinor };
      writes.push({
        kind: 'refund',
        key: `refund:${body.refundId}`,
        method: 'POST',
        path: `/v1/purchases/${purchase.transactionId}/refunds`,
        body,
      });
    } else if (roll < SHARE.enrol + SHARE.refund + SHARE.purchase) {
      const amountMinor = between(random, PURCHASE_MINOR.min, PURCHASE_MINOR.max);
      const quantity = between(random, 1, 3);
      const items = random() < 0.4 ? [{ sku: 'latte', category: 'coffee', quantity, unitPriceMinor: 450 }] : [];
      const body = { transactionId: `tx-${id}`, memberId: member(), amountMinor, currency: 'EUR', items };
      purchases.push(body);
      writes.push({ kind: 'purchase', key: `purchase:${body.transactionId}`, method: 'POST', path: '/v1/purchases', body });
    } else {
      const reward = random() < 0.2;
      const body = {
        redemptionId: `rd-${id}`,
        memberId: member(),
        ...(reward ? { rewardId: 'free-coffee' } : { points: between(random, REDEMPTION_POINTS.min, REDEMPTION_POINTS.max) }),
      };
      writes.push({ kind: 'redemption', key: `redemption:${body.redemptionId}`, method: 'POST', path: '/v1/redemptions', body });
    }
  }
  return writes;
}

/** The i-th fault of its kind; the first pause keeps its lock session, the others lose it, so every run has both. */
function fault(random: () => number, kind: FaultKind, i: number): Fault {
  if (kind === 'projector-pause') return { kind, pauseMs: between(random, PAUSE_MS.min, PAUSE_MS.max), losesLockSession: i > 0 };
  if (kind === 'postgres-restart')
    return { kind, mode: random() < 0.5 ? 'fast' : 'immediate', downMs: between(random, DATABASE_DOWN_MS.min, DATABASE_DOWN_MS.max) };
  return { kind };
}

function enrolWrite(memberId: string, type: 'individual' | 'business'): Write {
  return { kind: 'enrol', key: `enrol:${memberId}`, method: 'POST', path: '/v1/members', body: { memberId, type } };
}

/** Version k of the program: the rate alternates, so purchases around a change earn differently. */
function programWrite(k: number): Write {
  const survey = SURVEY_BONUS_BASE + k;
  const body = { ...PROGRAM, earning: { ...PROGRAM.earning, pointsPerUnit: 1 + (k % 2), actionBonuses: { review: 50, survey } } };
  return { kind: 'program', key: `program:${survey}`, method: 'PUT', path: '/v1/program', body };
}

/** The key of the event that records a write (see Write.key), or undefined for the events a write causes. */
export function logKey(type: string, data: Record<string, unknown>): string | undefined {
  switch (type) {
    case 'MemberEnrolled':
      return `enrol:${String(data.memberId)}`;
    case 'PurchaseRecorded':
      return `purchase:${String(data.transactionId)}`;
    case 'PurchaseRefunded':
      return `refund:${String(data.refundId)}`;
    case 'PointsRedeemed':
      return `redemption:${String(data.redemptionId)}`;
    case 'ProgramConfigured': {
      const policy = data.policy as { earning: { actionBonuses?: Record<string, number> } };
      return `program:${policy.earning.actionBonuses?.survey ?? 'none'}`;
    }
    default:
      return undefined;
  }
}

function shuffle<T>(random: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = between(random, 0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
