import { EntityManager } from 'typeorm';

/**
 * Whole rows in and out of a batch. Rows load as JSON keyed by column name,
 * so timestamps arrive as exact ISO text and go back unchanged, and bigints
 * as JSON numbers (points and positions stay below 2^53). Rows go back as
 * one JSON parameter typed by the table itself: one round trip and one plan
 * however many rows a batch touched.
 */
export async function loadRows<T>(manager: EntityManager, table: string, where: string, params: unknown[]): Promise<T[]> {
  const rows: Array<{ row: T }> = await manager.query(`select to_json(t) as row from ${table} t where ${where}`, params);
  return rows.map((r) => r.row);
}

/** Inserts whole rows (every column present) the batch knows to be new. */
export async function insertRows(manager: EntityManager, table: string, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(`insert into ${table} select * from json_populate_recordset(null::${table}, $1::json)`, [JSON.stringify(rows)]);
}

/**
 * Writes back whole rows the batch loaded and changed, matched on `key`. A
 * plain update, not an upsert: the batch knows which rows exist, and
 * Postgres' speculative insertion costs a third more than either.
 */
export async function updateRows(manager: EntityManager, table: string, key: readonly string[], rows: readonly object[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const others = Object.keys(first).filter((column) => !key.includes(column));
  await manager.query(
    `update ${table} t set ${others.map((c) => `${c} = r.${c}`).join(', ')}
     from json_populate_recordset(null::${table}, $1::json) r where ${key.map((k) => `t.${k} = r.${k}`).join(' and ')}`,
    [JSON.stringify(rows)],
  );
}

/** A safe integer from a loaded bigint column: arithmetic on points never meets a float. */
export function integer(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${String(value)}`);
  return n;
}

/** A composite key for in-memory maps; NUL cannot occur in ids. */
export const keyOf = (...parts: readonly string[]) => parts.join('\u0000');
