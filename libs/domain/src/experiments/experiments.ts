import { createHash } from 'node:crypto';
import { Instant, isAfter, toMillis } from '../values/time';

/**
 * A program experiment: members are split between variants of the earning
 * rate by a hash of (experiment id, member id), so the assignment is the same
 * in every process and every replay, and needs no stored state.
 */
export interface ExperimentVariant {
  readonly name: string;
  /** Share of members, in percent; the variants' weights add up to 100. */
  readonly weightPercent: number;
  /** The earning rate this variant earns at (replaces earning.pointsPerUnit for purchases). */
  readonly pointsPerUnit: number;
}

export interface ExperimentPolicy {
  readonly experimentId: string;
  readonly startsAt: Instant;
  /** null: runs until removed from the program. */
  readonly endsAt: Instant | null;
  readonly variants: readonly ExperimentVariant[];
}

export const EXPERIMENT_LIMITS = { experimentsMax: 50, variantsMax: 10 } as const;
/** Hash buckets per experiment: weights are percentages, so 100 buckets suffice and stay uniform. */
const BUCKETS = 100;

export function variantOf(experiment: Pick<ExperimentPolicy, 'experimentId' | 'variants'>, memberId: string): ExperimentVariant {
  const digest = createHash('sha256').update(`${experiment.experimentId}\n${memberId}`).digest();
  const bucket = digest.readUInt32BE(0) % BUCKETS;
  let upper = 0;
  for (const variant of experiment.variants) {
    upper += variant.weightPercent;
    if (bucket < upper) return variant;
  }
  return experiment.variants[experiment.variants.length - 1]!;
}

export const isExperimentRunning = (e: Pick<ExperimentPolicy, 'startsAt' | 'endsAt'>, at: Instant) =>
  !isAfter(e.startsAt, at) && (e.endsAt === null || toMillis(at) < toMillis(e.endsAt));

/** The running experiment at an instant; validation keeps their windows apart, so there is at most one. */
export function runningExperiment(experiments: readonly ExperimentPolicy[] | undefined, at: Instant): ExperimentPolicy | undefined {
  return (experiments ?? []).find((e) => isExperimentRunning(e, at));
}

export const experimentRuleId = (experimentId: string, variant: string) => `experiment:${experimentId}:${variant}`;

export function experimentProblems(experiments: readonly ExperimentPolicy[]): string[] {
  const problems: string[] = [];
  if (experiments.length > EXPERIMENT_LIMITS.experimentsMax) problems.push(`at most ${EXPERIMENT_LIMITS.experimentsMax} experiments`);
  if (new Set(experiments.map((e) => e.experimentId)).size !== experiments.length) problems.push('experimentIds must be unique');
  for (const e of experiments) {
    const where = `experiment ${e.experimentId}`;
    if (e.variants.length < 2 || e.variants.length > EXPERIMENT_LIMITS.variantsMax)
      problems.push(`${where} needs 2-${EXPERIMENT_LIMITS.variantsMax} variants`);
    if (new Set(e.variants.map((v) => v.name)).size !== e.variants.length) problems.push(`${where}: variant names must be unique`);
    if (e.variants.reduce((sum, v) => sum + v.weightPercent, 0) !== 100) problems.push(`${where}: variant weights must add up to 100`);
    if (e.endsAt !== null && !isAfter(e.endsAt, e.startsAt)) problems.push(`${where}: endsAt must be after startsAt`);
  }
  const sorted = [...experiments].sort((a, b) => toMillis(a.startsAt) - toMillis(b.startsAt));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    if (previous.endsAt === null || toMillis(previous.endsAt) > toMillis(sorted[i]!.startsAt)) {
      problems.push(`experiments ${previous.experimentId} and ${sorted[i]!.experimentId} overlap: one earning experiment runs at a time`);
    }
  }
  return problems;
}
