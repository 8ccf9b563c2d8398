import { DataSource } from 'typeorm';

/** What pg's pool offers for a named (server-side prepared) statement. */
interface NamedStatementPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * The rows of a hot read as a named statement on the read models' pg pool:
 * each connection parses and plans it once, not on every request (planning
 * was most of PostgreSQL's cost of a balance read). TypeORM's `query` cannot
 * name a statement, so this goes to the pool the data source already holds.
 */
export async function preparedRows<Row>(db: DataSource, name: string, text: string, values: unknown[]): Promise<Row[]> {
  const pool = (db.driver as unknown as { master: NamedStatementPool }).master;
  return (await pool.query({ name, text, values })).rows as Row[];
}
