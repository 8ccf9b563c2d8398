// `node -r ./apps/cli/register.js apps/cli/src/main.ts ...`: the CLI scripts
// run the TypeScript sources, each file compiled in memory by @swc/core with
// the repo's .swcrc (whose paths resolve the @loyalty aliases) as it is
// required. Nothing is written, so a CLI never rebuilds the dist/ that a
// running ledger loads from, and two CLIs never share compiled files.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const repo = path.resolve(__dirname, '../..');
const swcrc = JSON.parse(fs.readFileSync(path.join(repo, '.swcrc'), 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = repo;
swcrc.sourceMaps = 'inline';

Module._extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...swcrc, filename, swcrc: false });
  module._compile(code, filename);
};
