/**
 * What every section of `npm run bench` gets and returns. Sections run one
 * after another on one embedded PostgreSQL, so their figures are comparable
 * as ratios taken in the same run.
 */
export interface BenchContext {
  /** Creates an empty database on the shared server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /**
   * A database whose event store holds a realistic seeded log (at least
   * 1,000,000 events; about 100,000 in quick mode). Seeded once per run and
   * shared: sections read it and must not append to it.
   */
  seededLog(): Promise<SeededLog>;
  /** Smaller sizes and shorter runs (`npm run bench -- --quick`), for checking the bench itself. */
  readonly quick: boolean;
  /** A progress line on stderr; the table goes to stdout at the end. */
  progress(line: string): void;
}

export interface SeededLog {
  readonly url: string;
  readonly events: number;
  readonly members: number;
}

export type Cell = string | number | null;

export interface BenchTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly Cell[]>;
}

/** A target from the performance issue, checked against what was measured. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface SectionResult {
  readonly tables: readonly BenchTable[];
  /** Machine-readable figures for bench-results.json. */
  readonly figures: Record<string, unknown>;
  readonly targets: readonly TargetCheck[];
  readonly notes?: readonly string[];
}

export interface BenchSection {
  readonly id: string;
  readonly title: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}
