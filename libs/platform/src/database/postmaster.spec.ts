import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPostmasterOf, isRunning, readPostmasterPid, stopPostmaster, waitForExit } from './postmaster';

describe('postmaster.pid and the process it names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-postmaster-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the pid, data directory, port and status PostgreSQL writes', () => {
    writeFileSync(join(dir, 'postmaster.pid'), `4242\n${dir}\n1700000000\n54321\n/tmp\nlocalhost\n  5432001     32768\nready   \n`);
    expect(readPostmasterPid(dir)).toEqual({ pid: 4242, dataDir: dir, port: 54321, status: 'ready' });
  });

  it('ignores a file PostgreSQL has only begun to write', () => {
    writeFileSync(join(dir, 'postmaster.pid'), '');
    expect(readPostmasterPid(dir)).toBeUndefined();
    expect(readPostmasterPid(join(dir, 'absent'))).toBeUndefined();
  });

  it('tells a live process from one that is gone', async () => {
    const child = spawn('sleep', ['30']);
    expect(isRunning(child.pid!)).toBe(true);
    child.kill('SIGKILL');
    expect(await waitForExit(child.pid!, 5000)).toBe(true);
    expect(isRunning(child.pid!)).toBe(false);
  });

  it('never takes a process that is no PostgreSQL for one (a pid reused after a crash)', () => {
    expect(isPostmasterOf(process.pid, dir)).toBe(false);
  });

  it('stops a process with SIGINT and waits for it', async () => {
    const child = spawn('sleep', ['30']);
    await stopPostmaster(child.pid!, () => undefined);
    expect(isRunning(child.pid!)).toBe(false);
  });
});
