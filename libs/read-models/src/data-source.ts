import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from './entities';
import { migrateSchema } from '@loyalty/platform';
import { READ_MODEL_SCHEMA } from './schema';
import { READ_MODEL_MIGRATIONS } from './migrations';
import { Projection } from './projector/projection';
import { NO_PERSONAL_DATA, PersonalDataReader } from './projector/personal-data-reader';
import { memberBalancesProjectionIn } from './balances/balances.projection';
import { ledgerEntriesProjectionIn } from './balances/ledger-entries.projection';
import { segmentsProjectionIn } from './segments/segments.projection';
import { kpisProjectionIn } from './kpis/kpis.projection';
import { experimentsProjectionIn } from './experiments/experiments.projection';
import { offersProjectionIn } from './offers/offers.projection';
import { tierStandingProjectionIn } from './balances/tier-standing.projection';
import { membershipsProjectionIn } from './memberships/memberships.projection';
import { preferencesProjectionIn } from './preferences/preferences.projection';
import { couponsProjectionIn } from './coupons/coupons.projection';

/** The whole read-model shape in a given schema, every migration in order, for a throwaway schema a test fills. */
export const readModelsDdl = (schema: string): string[] => READ_MODEL_MIGRATIONS.migrations.map((migration) => migration.sql(schema));

/**
 * Every projection the ledger projector runs, writing into a given schema;
 * one checkpoint covers them all. The balance read model comes as its two
 * parts, so that a rebuild runs each on a lane of its own.
 */
export const readModelProjections = (schema: string, personalData: PersonalDataReader = NO_PERSONAL_DATA): Projection[] => [
  memberBalancesProjectionIn(schema, personalData),
  ledgerEntriesProjectionIn(schema),
  segmentsProjectionIn(schema, personalData),
  kpisProjectionIn(schema),
  experimentsProjectionIn(schema),
  offersProjectionIn(schema),
  tierStandingProjectionIn(schema),
  membershipsProjectionIn(schema),
  preferencesProjectionIn(schema),
  couponsProjectionIn(schema),
];

export const READ_MODEL_PROJECTIONS: readonly Projection[] = readModelProjections(READ_MODEL_SCHEMA);

/** A TypeORM data source over the read-model schema, migrated to this release's shape first (under the migration lock). */
export async function openReadModels(url: string, poolSizeMax = 10): Promise<DataSource> {
  await migrateSchema(url, READ_MODEL_SCHEMA, READ_MODEL_MIGRATIONS);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    synchronize: false,
    logging: false,
    extra: { max: poolSizeMax },
  });
  await dataSource.initialize();
  return dataSource;
}
