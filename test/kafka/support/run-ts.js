// Runs a TypeScript entry point in a plain Node process (for tests that must
// SIGKILL a real relay process): compiles each .ts file on require with
// @swc/core and the repo's .swcrc, whose paths resolve the @loyalty aliases.
// Usage: node test/kafka/support/run-ts.js apps/kafka-relay/src/main.ts
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const repo = path.resolve(__dirname, '../../..');
const swcrc = JSON.parse(fs.readFileSync(path.join(repo, '.swcrc'), 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = repo;
swcrc.sourceMaps = 'inline';

Module._extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...swcrc, filename, swcrc: false });
  module._compile(code, filename);
};

const entry = process.argv[2];
if (!entry) throw new Error('usage: run-ts.js <entry.ts>');
require(path.resolve(repo, entry));
