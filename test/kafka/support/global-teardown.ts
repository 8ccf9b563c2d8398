import { LocalBroker } from './broker';

export default async function kafkaGlobalTeardown(): Promise<void> {
  const holder = globalThis as { __LOYALTY_TEST_KAFKA__?: LocalBroker };
  await holder.__LOYALTY_TEST_KAFKA__?.destroy();
  holder.__LOYALTY_TEST_KAFKA__ = undefined;
  const { default: postgresTeardown } = await import('../../support/global-teardown.mjs');
  await postgresTeardown();
}
