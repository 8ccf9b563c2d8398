import { READ_MODEL_TABLE_NAMES, StoredFigures, StoredTables } from '../reports/read-model-tables';

/** Read-model rows as a test writes them down: numbers by key and field. */
export const storedRows = (rows: Record<string, Record<string, number>>): Map<string, StoredFigures> =>
  new Map(Object.entries(rows).map(([key, figures]) => [key, Object.fromEntries(Object.entries(figures).map(([f, v]) => [f, BigInt(v)]))]));

export const noStoredTables = (): StoredTables =>
  Object.fromEntries(READ_MODEL_TABLE_NAMES.map((name) => [name, new Map()])) as unknown as StoredTables;
