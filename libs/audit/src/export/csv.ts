/**
 * Every audit report as one tidy CSV table, `memberId,metric,value`:
 * program-wide figures have an empty memberId, per-member rows carry it and
 * the list they came from (`balances.available`). One shape for all reports
 * loads into any spreadsheet or SQL table and pivots as the auditor likes.
 */
export const CSV_HEADER = 'memberId,metric,value';

type Scalar = string | number | boolean | null | undefined;
type Value = Scalar | readonly unknown[] | { readonly [key: string]: unknown };
/** A list item of a report: one flat row of figures. */
type Row = Record<string, Scalar>;

export function reportToCsv(report: object): string {
  const rows: string[] = [CSV_HEADER];
  walk(report as Record<string, Value>, '', rows);
  return `${rows.join('\n')}\n`;
}

function walk(node: Record<string, Value>, prefix: string, rows: string[]): void {
  for (const [key, value] of Object.entries(node)) {
    const metric = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) {
      for (const item of value as Row[]) memberRows(item, metric, rows);
    } else if (value !== null && typeof value === 'object') {
      walk(value as Record<string, Value>, metric, rows);
    } else {
      rows.push(line('', metric, value));
    }
  }
}

/**
 * A list item names its rows by its memberId (first column) or, without one,
 * by its `key` and `field` in the metric (`readModels.kpiDays.differences.
 * 2026-01-05.refunds_minor.eventLog`), so every row stands on its own.
 */
function memberRows(item: Row, list: string, rows: string[]): void {
  const memberId = String(item.memberId ?? '');
  const itemKey = item.memberId === undefined && typeof item.key === 'string' ? item.key : undefined;
  const path = itemKey === undefined ? list : [list, itemKey, ...(typeof item.field === 'string' ? [item.field] : [])].join('.');
  for (const [key, value] of Object.entries(item)) {
    if (key === 'memberId' || (itemKey !== undefined && (key === 'key' || key === 'field'))) continue;
    rows.push(line(memberId, `${path}.${key}`, value));
  }
}

const line = (memberId: string, metric: string, value: Scalar) =>
  [memberId, metric, value === null || value === undefined ? '' : String(value)].map(cell).join(',');

/** RFC 4180 quoting, plus a leading quote on formula-like text so a spreadsheet never evaluates a member id. */
function cell(text: string): string {
  const safe = /^[=+\-@]/.test(text) && !/^-?\d+$/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
