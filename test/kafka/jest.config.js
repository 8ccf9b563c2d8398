// The Kafka suites (npm run test:kafka): the root config (transform, path
// aliases, embedded Postgres) plus one Kafka broker for the run. Their files
// end in .kafka-spec.ts, which the root testMatch (*.spec.ts) never picks up,
// so the default `npm test` stays free of Kafka.
const path = require('node:path');
const root = require('../../jest.config.js');

const repo = path.resolve(__dirname, '../..');

module.exports = {
  ...root,
  rootDir: repo,
  roots: ['<rootDir>/test/kafka', '<rootDir>/libs/messaging'],
  testMatch: ['**/*.kafka-spec.ts'],
  globalSetup: '<rootDir>/test/kafka/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/kafka/support/global-teardown.ts',
  // Broker restarts and consumer-group joins are slow by design; fault tests wait on them.
  testTimeout: 120_000,
  verbose: true,
};
