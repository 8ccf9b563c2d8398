// Loaded with `node --require`: the process fails as it would on a pruned
// production install (npm prune --omit=dev), by refusing every package the
// lockfile marks "dev": true, which is exactly what the prune removes.
const Module = require('node:module');
const { join, relative, sep } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const { packages } = require(join(ROOT, 'package-lock.json'));
/** The innermost node_modules/<name> (or node_modules/@scope/<name>) of a path: the lockfile's key for its package. */
const PACKAGE_KEY = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//;

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function refuseDevDependencies(request, ...rest) {
  const filename = resolveFilename.call(this, request, ...rest);
  const key = PACKAGE_KEY.exec(relative(ROOT, filename).split(sep).join('/'))?.[1];
  if (key && packages[key]?.dev) {
    throw new Error(`${request} resolves to ${key}, a development dependency that a production install does not have`);
  }
  return filename;
};
