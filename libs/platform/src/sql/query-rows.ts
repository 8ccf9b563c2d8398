/** What runs SQL and resolves to its rows: a TypeORM DataSource, EntityManager or QueryRunner, or a pg pool adapted to `.rows`. */
export interface RowsQuery {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * The rows of one statement, typed as its SQL selects them. The drivers type
 * results `any`; this is the one place that trusts the SQL for the row shape,
 * so callers never hold an `any`.
 */
export async function queryRows<Row>(db: RowsQuery, sql: string, params?: unknown[]): Promise<Row[]> {
  return (await db.query(sql, params)) as Row[];
}
