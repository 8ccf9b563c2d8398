import { BenchTable, Cell, SectionResult } from './harness';

const format = (cell: Cell) => (cell === null ? '-' : typeof cell === 'number' ? cell.toLocaleString('en') : cell);

/** A Markdown table, so the output pastes straight into BENCHMARKS.md. */
export function renderTable(table: BenchTable): string {
  const cells = [table.columns.map(String), ...table.rows.map((row) => row.map(format))];
  const widths = table.columns.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [`### ${table.title}`, '', line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

export function renderSection(title: string, result: SectionResult): string {
  const parts = [`## ${title}`, ...result.tables.map(renderTable)];
  if (result.notes?.length) parts.push(result.notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}

export function renderTargets(sections: ReadonlyArray<{ title: string; result?: SectionResult; error?: string }>): string {
  const rows: Cell[][] = [];
  for (const s of sections) {
    if (s.error) rows.push([s.title, 'section failed', s.error, 'FAILED']);
    for (const t of s.result?.targets ?? []) rows.push([s.title, t.target, t.measured, t.met ? 'met' : 'NOT MET']);
  }
  return renderTable({ title: 'Targets', columns: ['section', 'target', 'measured', 'verdict'], rows });
}
