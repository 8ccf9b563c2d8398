import { MigrationSet } from '@loyalty/platform';
import { readModelDdl } from './schema';
import { segmentsDdl } from './segments/segments.ddl';
import { kpisDdl } from './kpis/kpis.ddl';
import { experimentsDdl } from './experiments/experiments.ddl';
import { offersDdl } from './offers/offers.ddl';
import { parkingDdl } from './projector/parking';
import { tierStandingDdl } from './balances/tier-standing.ddl';
import { membershipsDdl } from './memberships/memberships.ddl';
import { preferencesDdl } from './preferences/preferences.ddl';
import { couponsDdl } from './coupons/coupons.ddl';

/** Held by every process migrating a read-model schema, as by the idempotent DDL before it, so old and new code never interleave. */
const READ_MODEL_MIGRATION_LOCK_KEY = 7_310_002;

/**
 * The read-model schema, change by change (docs/operations.md, "Upgrades").
 * The baseline is the shape every earlier release reached with idempotent DDL
 * at boot, so applying it to one of their schemas adds what is missing and
 * keeps every row; its texts (schema.ts and the *.ddl.ts files) are frozen
 * from here on, and a shape change ships as a migration appended below.
 */
export const READ_MODEL_MIGRATIONS: MigrationSet = {
  lockKey: READ_MODEL_MIGRATION_LOCK_KEY,
  migrations: [
    {
      name: 'ReadModelsBaseline1764633600000',
      sql: (schema) =>
        [
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
        ].join('\n'),
    },
  ],
};
