// Property tests draw a new seed on every run, so a developer's runs keep exploring; PROPERTY_SEED pins one, so a
// run (CI's, or a failure being chased) is the same every time.
const fc = require('fast-check');

const seed = process.env.PROPERTY_SEED;
if (seed !== undefined && seed !== '') {
  if (!/^-?\d+$/.test(seed)) throw new Error(`PROPERTY_SEED must be an integer, got "${seed}"`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(seed) });
}
