import 'reflect-metadata';
import { BENCH_AUDIT_USAGE, benchAuditCommand } from './bench/bench-audit';
import { HelpRequested, UsageError } from './cli/args';
import { runCli } from './cli/run-cli';
import { AUDIT_USAGE, auditCommand } from './commands/audit-command';
import { DB_URL_USAGE, dbUrlCommand } from './commands/db-url-command';
import { SIMULATE_USAGE, simulateCommand } from './commands/simulate-command';
import { REBUILD_USAGE, rebuildCommand } from './projections-rebuild';

/** Each tool under the npm script that runs it, which names it in its messages. */
const TOOLS: Readonly<Record<string, { readonly script: string; readonly run: (argv: string[]) => Promise<void> | void }>> = {
  audit: { script: 'ledger:audit', run: auditCommand },
  simulate: { script: 'simulate', run: simulateCommand },
  'bench-audit': { script: 'bench:audit', run: benchAuditCommand },
  'db-url': { script: 'db:url', run: dbUrlCommand },
  'projections-rebuild': { script: 'projections:rebuild', run: rebuildCommand },
};

const USAGE = `usage: main.js <tool> [options]; <tool> --help for its own
${[AUDIT_USAGE, SIMULATE_USAGE, REBUILD_USAGE, DB_URL_USAGE, BENCH_AUDIT_USAGE].join('\n\n')}`;

/** The operator's tools, one entry point: the npm scripts name the tool (`npm run ledger:audit` runs `main.js audit`). */
function main([tool, ...rest]: string[]): Promise<void> | void {
  if (tool === '--help' || tool === '-h') throw new HelpRequested(USAGE);
  if (tool === undefined) throw new UsageError(`a tool is required: ${Object.keys(TOOLS).join(', ')}`);
  const found = TOOLS[tool];
  if (!found) throw new UsageError(`unknown tool '${tool}': ${Object.keys(TOOLS).join(', ')}`);
  return found.run(rest);
}

runCli(TOOLS[process.argv[2] ?? '']?.script ?? 'loyalty-cli', main);
