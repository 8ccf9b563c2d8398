import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const START_TIMEOUT_MS = 60_000;
/** bench/ compiles to .bench-build/bench, next to .bench-build/apps. */
const LEDGER_MAIN = join(__dirname, '..', '..', 'apps', 'ledger-api', 'src', 'main.js');

export interface LedgerProcess {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** The built ledger API as its own process, as `npm start` runs it; resolves once it prints its URL. */
export function startLedgerProcess(env: Record<string, string>): Promise<LedgerProcess> {
  const child: ChildProcess = spawn(process.execPath, [LEDGER_MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Access-log lines are drained, not kept: a long run would otherwise hold them all.
  const keepTail = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keepTail);
  child.stderr!.on('data', keepTail);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ledger printed no URL within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({ url: match[1]!, pid: child.pid!, stop: () => (child.kill('SIGTERM'), exited.then(() => undefined)) });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the ledger exited with ${code} before serving:\n${output}`));
    });
  });
}
