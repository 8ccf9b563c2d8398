import { ConfigError } from './config';

/**
 * The life of a standalone process: start it, stop it once on SIGINT or
 * SIGTERM (exit 0 when the stop completes, 1 when it fails), and report a
 * configuration problem as its message alone rather than a stack.
 */
export function runProcess(start: () => Promise<() => Promise<void>>): void {
  start().then(
    (stop) => {
      let stopping = false;
      const onSignal = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`${signal} received: stopping at a checkpoint`);
        stop().then(
          () => process.exit(0),
          (error) => {
            console.error(error);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => onSignal('SIGINT'));
      process.on('SIGTERM', () => onSignal('SIGTERM'));
    },
    (error) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}
