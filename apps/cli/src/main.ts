import 'reflect-metadata';
import { benchAuditCommand } from './bench/bench-audit';
import { AUDIT_USAGE, auditCommand, FailedReport, UsageError } from './commands/audit-command';

/** The operator's tool: `audit ...` (finance audit and seeding) and `bench-audit`. */
async function main(argv: string[]): Promise<void> {
  const [tool, ...rest] = argv;
  if (tool === 'audit') return auditCommand(rest);
  if (tool === 'bench-audit') return benchAuditCommand(rest);
  throw new UsageError(`usage: main.js audit <command> | bench-audit\n${AUDIT_USAGE}`);
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
