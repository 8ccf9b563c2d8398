import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from './entities';
import { READ_MODEL_DDL } from './schema';

const MIGRATION_LOCK_KEY = 7_310_002;

/** A TypeORM data source over the read-model schema, created if missing. */
export async function openReadModels(url: string, poolSizeMax = 10): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    synchronize: false,
    logging: false,
    extra: { max: poolSizeMax },
  });
  await dataSource.initialize();
  await dataSource.transaction(async (manager) => {
    await manager.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await manager.query(READ_MODEL_DDL);
  });
  return dataSource;
}
