import { Kafka, KafkaConfig, logLevel, Message, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { queryRows, RowsQuery } from '@loyalty/platform';
import { migrateNotificationOutbox, readNotifications, RecordedNotification } from '@loyalty/webhooks';
import { HEADERS } from '../relay/messages';
import { errorMessage } from '../relay/poison';
import { RELAY_SCHEMA, RelayLeadership } from '../relay/relay-store';
import { ensureTopics, openRelayProducer, SEND_TIMEOUT_MS, TOPIC_PARTITIONS_DEFAULT } from '../relay/relay-producer';
import type { RelayState } from '../relay/kafka-relay';
import { LOYALTY_TOPIC_MAP, TopicMapDefinition } from '../topics/topic-map';

/** Outbox rows per produce request: notifications are small (under a kilobyte), so this stays far below the broker's limits. */
export const NOTIFICATION_BATCH_MAX = 500;
/** How often an idle relay looks for new notifications: they come from batches of the log and hourly scans, not per request. */
export const NOTIFICATION_POLL_INTERVAL_MS_DEFAULT = 1000;
/** The instant the notification was derived (the log event's, or the scan's); Kafka consumers have it without parsing the value. */
export const NOTIFICATION_OCCURRED_AT_HEADER = 'occurred-at';
const NOTIFICATION_SCHEMA_VERSION = '1';
/** A notification relay's checkpoint row is its topic map's name with this suffix, apart from the event relay's. */
const NOTIFICATION_CHECKPOINT_SUFFIX = ':notifications';
const STANDBY_POLL_MS = 1000;
const RESTART_DELAY_MS_MIN = 500;
const RESTART_DELAY_MS_MAX = 10_000;

export interface NotificationRelayStatus {
  readonly status: RelayState;
  readonly topic: string;
  /** The outbox position acknowledged by the broker and checkpointed: a restart resumes strictly after it. */
  readonly lastSeq: bigint | undefined;
  readonly producedNotifications: number;
  readonly lastError: string | undefined;
}

export interface NotificationRelayOptions {
  /** Postgres of the outbox (the webhook worker's database), the checkpoint and the leadership lock. */
  readonly pool: Pool;
  readonly brokers: readonly string[];
  readonly kafkaConfig?: Omit<KafkaConfig, 'brokers' | 'logLevel' | 'logCreator'>;
  readonly topicMap?: TopicMapDefinition;
  readonly topicPartitions?: number;
  readonly pollIntervalMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * The notification outbox to Kafka, at least once, in outbox order: read
 * after the checkpoint, send, and only once the broker acknowledged move the
 * checkpoint (a compare-and-set on the leadership's connection, so a second
 * process waits as a hot standby and a paused one cannot move it). The
 * notifications are derived once, by the webhook intake; this only carries
 * them, keyed by member, with the occasion's id in the event-id header.
 */
export class NotificationRelay {
  private readonly kafka: Kafka;
  private readonly map: TopicMapDefinition;
  private readonly log: (line: string) => void;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wakeSleep: (() => void) | undefined;
  private leadership: RelayLeadership | undefined;
  private producer: Producer | undefined;
  private checkpoint: bigint | undefined;
  private producedNotifications = 0;
  private lastError: string | undefined;

  constructor(private readonly options: NotificationRelayOptions) {
    if (options.brokers.length === 0) throw new RangeError('NotificationRelay needs at least one broker');
    this.map = options.topicMap ?? LOYALTY_TOPIC_MAP;
    this.log = options.log ?? (() => undefined);
    this.kafka = new Kafka({
      clientId: 'loyalty-notification-relay',
      ...options.kafkaConfig,
      brokers: [...options.brokers],
      logLevel: logLevel.ERROR,
      logCreator: () => (entry) => this.log(`kafkajs: ${entry.log.message}`),
    });
  }

  /** The pool as the outbox's queries take it: rows, not pg's result. */
  private readonly outbox = {
    query: async (sql: string, params?: unknown[]): Promise<unknown[]> =>
      (await this.options.pool.query<Record<string, unknown>>(sql, params)).rows,
  };

  /** Its checkpoint and lock: one per topic map, apart from the event relay's. */
  get name(): string {
    return `${this.map.name}${NOTIFICATION_CHECKPOINT_SUFFIX}`;
  }

  start(): void {
    this.stopping = false;
    this.running ??= this.runUntilStopped();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleep?.();
    await this.running;
    this.running = undefined;
  }

  status(): NotificationRelayStatus {
    const state: RelayState = !this.running ? 'stopped' : this.lastError ? 'failing' : this.leadership ? 'running' : 'standby';
    return {
      status: state,
      topic: this.map.notifications,
      lastSeq: this.checkpoint,
      producedNotifications: this.producedNotifications,
      lastError: this.lastError,
    };
  }

  private async runUntilStopped(): Promise<void> {
    let restartDelayMs = RESTART_DELAY_MS_MIN;
    while (!this.stopping) {
      try {
        if (this.leadership?.lost) await this.resign();
        this.leadership ??= await RelayLeadership.tryAcquire(this.options.pool, this.name, (reason) => (this.lastError = reason));
        if (!this.leadership) {
          this.lastError = undefined;
          await this.sleep(STANDBY_POLL_MS);
          continue;
        }
        await this.follow(this.leadership);
        restartDelayMs = RESTART_DELAY_MS_MIN;
      } catch (error) {
        this.lastError = errorMessage(error);
        this.log(`notification relay ${this.name} failed, resuming from its checkpoint in ${restartDelayMs} ms: ${this.lastError}`);
        await this.closeProducer();
        await this.sleep(restartDelayMs);
        restartDelayMs = Math.min(restartDelayMs * 2, RESTART_DELAY_MS_MAX);
      }
    }
    await this.closeProducer();
    await this.resign();
  }

  private async follow(leadership: RelayLeadership): Promise<void> {
    await this.createOutbox();
    await this.openProducer();
    this.checkpoint = await leadership.loadCheckpoint();
    this.log(`notification relay ${this.name}: active`);
    while (!this.stopping && !leadership.lost) {
      const batch = await readNotifications(this.outbox, this.checkpoint, NOTIFICATION_BATCH_MAX);
      const last = batch[batch.length - 1];
      if (!last) {
        await this.sleep(this.options.pollIntervalMs ?? NOTIFICATION_POLL_INTERVAL_MS_DEFAULT);
        continue;
      }
      await this.send(batch);
      await leadership.commit(this.checkpoint, last.seq, []);
      this.checkpoint = last.seq;
      this.producedNotifications += batch.length;
      this.lastError = undefined;
    }
  }

  private async send(batch: readonly RecordedNotification[]): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new Error('notification relay: producer is not connected');
    const messages = batch.map(notificationRecord);
    await producer.sendBatch({ topicMessages: [{ topic: this.map.notifications, messages }], acks: -1, timeout: SEND_TIMEOUT_MS });
  }

  /** The relay may start before any ledger process created the outbox. */
  private async createOutbox(): Promise<void> {
    const { connectionString } = this.options.pool.options;
    if (!connectionString) throw new Error('notification relay: the pool needs a connection string, to migrate the outbox');
    await migrateNotificationOutbox(connectionString);
  }

  private async openProducer(): Promise<void> {
    if (this.producer) return;
    this.producer = await openRelayProducer(this.kafka);
    await this.ensureTopic();
  }

  private async closeProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private async ensureTopic(): Promise<void> {
    const topic = this.map.notifications;
    const created = await ensureTopics(this.kafka, [topic], this.options.topicPartitions ?? TOPIC_PARTITIONS_DEFAULT);
    if (created.length > 0) this.log(`notification relay ${this.name}: created topic ${topic}`);
  }

  private async resign(): Promise<void> {
    const leadership = this.leadership;
    this.leadership = undefined;
    await leadership?.release().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

interface StoredBody {
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The value is the notification's data, as a webhook's `data` carries it (one schema for both outlets). */
export function notificationRecord(notification: RecordedNotification): Message {
  const body = JSON.parse(notification.body) as StoredBody;
  return {
    key: notification.memberId,
    value: JSON.stringify(body.data),
    headers: {
      [HEADERS.eventType]: notification.type,
      [HEADERS.eventId]: notification.messageId,
      [HEADERS.schemaVersion]: NOTIFICATION_SCHEMA_VERSION,
      [NOTIFICATION_OCCURRED_AT_HEADER]: body.occurredAt,
      [HEADERS.contentType]: 'application/json',
    },
  };
}

/**
 * The outbox seq every notification relay that ever published has
 * checkpointed (the lowest, with several topic maps): the webhook sweep keeps
 * the rows past it. Undefined when none has: no relay schema, or no
 * checkpoint yet.
 */
export async function notificationsRelayedThrough(db: RowsQuery): Promise<bigint | undefined> {
  const [present] = await queryRows<{ present: boolean }>(db, `select to_regclass($1) is not null as present`, [
    `${RELAY_SCHEMA}.checkpoints`,
  ]);
  if (!present?.present) return undefined;
  const [row] = await queryRows<{ position: string | null }>(
    db,
    `select min(position)::text as position from ${RELAY_SCHEMA}.checkpoints where name like '%' || $1`,
    [NOTIFICATION_CHECKPOINT_SUFFIX],
  );
  return row?.position == null ? undefined : BigInt(row.position);
}
