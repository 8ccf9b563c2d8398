import { startBalanceConsumer } from './consumer';

/** `KAFKA_BROKERS=localhost:29092 npm run example:balance-consumer`: prints balances every few seconds. */
const PRINT_EVERY_MS = 5000;

async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:29092').split(',');
  const running = await startBalanceConsumer({ brokers, groupId: process.env.GROUP_ID ?? 'balance-consumer-example' });
  const timer = setInterval(() => {
    const { book } = running;
    console.log(`${book.eventsApplied} events, ${book.duplicates} duplicates skipped, ${book.all().size} members`);
    for (const [memberId, points] of [...book.all()].slice(0, 20)) console.log(`  ${memberId}: ${points}`);
  }, PRINT_EVERY_MS);
  const stop = async () => {
    clearInterval(timer);
    await running.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
