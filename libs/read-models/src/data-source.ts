import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from './entities';
import { READ_MODEL_SCHEMA, readModelDdl } from './schema';
import { Projection } from './projector/projection';
import { NO_PERSONAL_DATA, PersonalDataReader } from './projector/personal-data-reader';
import { memberBalancesProjectionIn } from './balances/balances.projection';
import { ledgerEntriesProjectionIn } from './balances/ledger-entries.projection';
import { segmentsDdl } from './segments/segments.ddl';
import { segmentsProjectionIn } from './segments/segments.projection';
import { kpisDdl } from './kpis/kpis.ddl';
import { kpisProjectionIn } from './kpis/kpis.projection';
import { experimentsDdl } from './experiments/experiments.ddl';
import { experimentsProjectionIn } from './experiments/experiments.projection';
import { offersDdl } from './offers/offers.ddl';
import { offersProjectionIn } from './offers/offers.projection';
import { parkingDdl } from './projector/parking';
import { tierStandingDdl } from './balances/tier-standing.ddl';
import { tierStandingProjectionIn } from './balances/tier-standing.projection';
import { membershipsDdl } from './memberships/memberships.ddl';
import { membershipsProjectionIn } from './memberships/memberships.projection';
import { preferencesDdl } from './preferences/preferences.ddl';
import { preferencesProjectionIn } from './preferences/preferences.projection';
import { couponsDdl } from './coupons/coupons.ddl';
import { couponsProjectionIn } from './coupons/coupons.projection';

const MIGRATION_LOCK_KEY = 7_310_002;

/** Every read-model table, in a given schema (a rebuild fills a fresh schema with the same DDL). */
export const readModelsDdl = (schema: string): string[] => [
  readModelDdl(schema),
  segmentsDdl(schema),
  kpisDdl(schema),
  experimentsDdl(schema),
  offersDdl(schema),
  parkingDdl(schema),
  tierStandingDdl(schema),
  membershipsDdl(schema),
  preferencesDdl(schema),
  couponsDdl(schema),
];

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
    for (const ddl of readModelsDdl(READ_MODEL_SCHEMA)) await manager.query(ddl);
  });
  return dataSource;
}
