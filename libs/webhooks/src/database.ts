import { DataSource } from 'typeorm';

/** Connections of the webhook worker: its consumer's lock and batch, the polls, and attempts' bookkeeping. */
export const WEBHOOK_POOL_SIZE_MAX = 4;

/** A pool of its own, so deliveries never take connections from requests or the projector. */
export async function openWebhookDatabase(url: string): Promise<DataSource> {
  const db = new DataSource({ type: 'postgres', url, synchronize: false, logging: false, extra: { max: WEBHOOK_POOL_SIZE_MAX } });
  await db.initialize();
  return db;
}
