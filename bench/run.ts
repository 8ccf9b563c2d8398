import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase as createEmbeddedDatabase, startEmbeddedPostgres } from '@loyalty/platform';
import { parseCommand, UsageError } from '../apps/cli/src/cli/args';
import { exitWith } from '../apps/cli/src/cli/run-cli';
import { BenchContext, BenchSection, SectionResult, SeededLog } from './support/harness';
import { renderSection, renderTargets } from './support/report';
import { seedSharedLog } from './support/seeded-log';
import { appendsSection } from './sections/appends';
import { httpSection } from './sections/http';
import { rebuildSection } from './sections/rebuild';
import { auditSection } from './sections/audit';
import { relaySection } from './sections/relay';
import { simulationSection } from './sections/simulation';
import { historySection } from './sections/history';
import { scaleOutSection } from './sections/scale-out';

const SECTIONS: readonly BenchSection[] = [
  appendsSection,
  httpSection,
  historySection,
  scaleOutSection,
  rebuildSection,
  auditSection,
  relaySection,
  simulationSection,
];

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

/**
 * `npm run bench`: every section on one throwaway embedded PostgreSQL
 * (default settings, fsync on), one after another, then one table per
 * section, the targets of the performance, simulation and relay issues with their verdicts, and
 * bench-results.json. `--only appends,http` runs some sections; `--quick`
 * shrinks sizes and durations to check the bench itself.
 */
async function main(): Promise<number> {
  const { values } = parseCommand(
    {
      usage: `usage: npm run bench -- [--only ${SECTIONS.map((s) => s.id).join(',')}] [--quick] [--out bench-results.json]`,
      options: {
        only: { type: 'string' },
        quick: { type: 'boolean', default: false },
        out: { type: 'string', default: 'bench-results.json' },
      },
    },
    process.argv.slice(2),
  );
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
  if (unknown.length) throw new UsageError(`unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.id).join(', ')}`);
  const selected = SECTIONS.filter((s) => !only || only.includes(s.id));

  const dir = mkdtempSync(join(tmpdir(), 'loyalty-bench-'));
  // Run as root, PostgreSQL runs as its own user and must reach the data directory inside this one.
  chmodSync(dir, 0o755);
  const started = Date.now();
  const embedded = await startEmbeddedPostgres(dir, progress);
  const outcomes: Array<{ id: string; title: string; seconds: number; result?: SectionResult; error?: string }> = [];
  try {
    const ctx = benchContext(embedded.url, values.quick);
    for (const section of selected) {
      progress(`${section.title}...`);
      const sectionStarted = performance.now();
      try {
        const result = await section.run(ctx);
        outcomes.push({ id: section.id, title: section.title, seconds: elapsed(sectionStarted), result });
        process.stdout.write(`\n${renderSection(section.title, result)}\n`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        progress(`${section.title} failed: ${error instanceof Error ? error.stack : message}`);
        outcomes.push({ id: section.id, title: section.title, seconds: elapsed(sectionStarted), error: message });
      }
    }
  } finally {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\n${renderTargets(outcomes)}\n`);
  const totalSeconds = (Date.now() - started) / 1000;
  writeFileSync(values.out, `${JSON.stringify(results(outcomes, values.quick, totalSeconds), null, 2)}\n`);
  progress(`done in ${totalSeconds.toFixed(0)} s; figures in ${values.out}`);
  return outcomes.some((o) => o.error) ? 1 : 0;
}

function benchContext(adminUrl: string, quick: boolean): BenchContext {
  let seeded: Promise<SeededLog> | undefined;
  const createDatabase = (name: string) => createEmbeddedDatabase(adminUrl, name);
  return {
    quick,
    progress,
    createDatabase,
    seededLog: () => (seeded ??= createDatabase('bench_seeded_log').then((url) => seedSharedLog(url, quick, progress))),
  };
}

function results(
  outcomes: ReadonlyArray<{ id: string; seconds: number; result?: SectionResult; error?: string }>,
  quick: boolean,
  totalSeconds: number,
) {
  return {
    command: `npm run bench${quick ? ' -- --quick' : ''}`,
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: process.platform,
    },
    totalSeconds: Math.round(totalSeconds),
    sections: Object.fromEntries(
      outcomes.map((o) => [
        o.id,
        o.error
          ? { error: o.error, seconds: round1(o.seconds) }
          : { seconds: round1(o.seconds), figures: o.result!.figures, targets: o.result!.targets },
      ]),
    ),
  };
}

const elapsed = (from: number) => (performance.now() - from) / 1000;
const round1 = (n: number) => Math.round(n * 10) / 10;

main().then(
  (code) => process.exit(code),
  (error: unknown) => exitWith(error, 'bench'),
);
