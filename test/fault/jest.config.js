// The fault suites (npm run test:fault): the root config (transform, path
// aliases, the embedded Postgres of the global setup) for the files ending in
// .fault-spec.ts, which the root testMatch (*.spec.ts) never picks up, so the
// default `npm test` stays fast. They kill and pause real processes, so they
// run one at a time (--runInBand) with long timeouts.
const path = require('node:path');
const root = require('../../jest.config.js');

module.exports = {
  ...root,
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/test/fault'],
  testMatch: ['**/*.fault-spec.ts'],
  testTimeout: 180_000,
  verbose: true,
};
