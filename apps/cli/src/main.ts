import 'reflect-metadata';
import { benchAuditCommand } from './bench/bench-audit';
import { AUDIT_USAGE, auditCommand, FailedReport, UsageError } from './commands/audit-command';
import { SIMULATE_USAGE, simulateCommand } from './commands/simulate-command';

/** The operator's tool: `audit ...` (finance audit and seeding), `simulate` (a candidate program on the log) and `bench-audit`. */
async function main(argv: string[]): Promise<void> {
  const [tool, ...rest] = argv;
  if (tool === 'audit') return auditCommand(rest);
  if (tool === 'bench-audit') return benchAuditCommand(rest);
  if (tool === 'simulate') return simulateCommand(rest);
  throw new UsageError(`usage: main.js audit <command> | simulate | bench-audit\n${AUDIT_USAGE}\n${SIMULATE_USAGE}`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof UsageError || error instanceof FailedReport ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
