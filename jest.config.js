// Unit tests run beside the code; suites needing Postgres share one embedded
// server started by the global setup (each test file gets its own database).
const path = require('node:path');
const fs = require('node:fs');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
swcrc.jsc.baseUrl = __dirname;
delete swcrc.$schema;

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }],
    // jose is ESM only, which jest's CommonJS runtime cannot require on Node 20.
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' }, swcrc: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: {
    '^@loyalty/(domain|event-store|read-models|messaging|audit|platform|webhooks)$': '<rootDir>/libs/$1/src',
  },
  setupFiles: ['<rootDir>/test/support/property-seed.js'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 30000,
};
