import { DataSource, MigrationExecutor, MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One change to a schema, applied once and in order, then recorded in the
 * schema's own migrations table. `sql` is given the schema's name, so a set
 * can also build a fresh schema (a read-model rebuild fills one, then swaps it
 * in, its migrations table with it).
 */
export interface SchemaMigration {
  /** A name ending in a 13-digit millisecond timestamp, which orders the set (TypeORM's convention). */
  readonly name: string;
  readonly sql: (schema: string) => string;
}

/** The migrations of one schema, and the advisory lock that serialises processes applying them. */
export interface MigrationSet {
  readonly lockKey: number;
  readonly migrations: readonly SchemaMigration[];
}

/** Every migrated schema keeps the names of the migrations applied to it here. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * Applies the pending migrations of `set` to `schema`, in one transaction,
 * and returns the names applied (none when the schema is up to date).
 * TypeORM's runner records and orders them but takes no lock, so two
 * processes booting at once would both see a migration pending: here a
 * session advisory lock is held around the whole run, and the second process
 * finds nothing left to do.
 */
export async function migrateSchema(url: string, schema: string, set: MigrationSet): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema,
    migrationsTableName: MIGRATIONS_TABLE,
    migrations: set.migrations.map((migration) => typeormMigration(migration, schema)),
    logging: false,
    extra: { max: 1 },
  });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('select pg_advisory_lock($1)', [set.lockKey]);
    try {
      await runner.query(`create schema if not exists ${schema}`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      return (await executor.executePendingMigrations()).map((migration) => migration.name);
    } finally {
      await runner.query('select pg_advisory_unlock($1)', [set.lockKey]);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

/** TypeORM instantiates the migrations it is given, so each becomes a class. */
function typeormMigration(migration: SchemaMigration, schema: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    readonly name = migration.name;

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(migration.sql(schema));
    }

    down(): Promise<void> {
      return Promise.reject(new Error(`${migration.name} is not reversible: restore from a backup instead`));
    }
  };
}
