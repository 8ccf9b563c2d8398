import { spawn } from 'node:child_process';
import { POSTMASTER_FAST_STOP_MS } from './postmaster';

const WATCHDOG_POLL_MS = 100;

/**
 * Waits on a pipe from the app. A line means the app stopped (or lost) the
 * server itself; end of file without one means the app died, however it died
 * (SIGKILL included; the kernel closes its end of the pipe), so the server
 * gets a fast shutdown, then SIGQUIT if it is still up after the same bound
 * the app itself allows.
 */
const WATCHDOG_SCRIPT = `
read -r _ && exit 0
kill -INT "$1" 2>/dev/null || exit 0
i=0
while kill -0 "$1" 2>/dev/null; do
  if [ "$i" -ge "$2" ]; then kill -QUIT "$1" 2>/dev/null; exit 0; fi
  sleep ${WATCHDOG_POLL_MS / 1000}
  i=$((i + 1))
done
`;

export interface Watchdog {
  /** The app has stopped the server, or the server exited: nothing left to watch, and the pid must not be signalled later. */
  standDown(): void;
}

/**
 * Node cannot ask the kernel to signal a child when the parent dies
 * (PR_SET_PDEATHSIG), so a tiny shell keeps the other end of a pipe instead.
 * It runs in a session of its own, so a Ctrl-C in the terminal, meant for
 * the app (which drains and stops the server itself), does not reach it.
 */
export function watchPostmaster(pid: number, log: (line: string) => void): Watchdog {
  if (process.platform === 'win32') return { standDown: () => undefined };
  const ticks = Math.ceil(POSTMASTER_FAST_STOP_MS / WATCHDOG_POLL_MS);
  const watcher = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'embedded-postgres-watchdog', String(pid), String(ticks)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watcher.on('error', (error) =>
    log(`embedded PostgreSQL watchdog did not start (${error.message}): if the app is killed, the next start stops the server it leaves`),
  );
  const pipe = watcher.stdin;
  pipe.on('error', () => undefined); // EPIPE: the watchdog is gone already, nothing to tell it
  // Neither the watchdog nor its pipe may keep the app's event loop alive.
  watcher.unref();
  (pipe as unknown as { unref(): void }).unref();
  let stoodDown = false;
  return {
    standDown: () => {
      if (stoodDown) return;
      stoodDown = true;
      pipe.end('\n');
    },
  };
}
