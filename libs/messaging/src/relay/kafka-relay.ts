import { Kafka, KafkaConfig, logLevel, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { EventStore, RecordedEvent, Subscription } from '@loyalty/event-store';
import { batches } from '@loyalty/read-models';
import { LOYALTY_TOPIC_MAP, TopicMapDefinition, topicsOf } from '../topics/topic-map';
import { Chunk, chunksOf, DeadLetter } from './chunks';
import { OutgoingMessage, topicMessagesOf } from './messages';
import { errorMessage, poisonErrorType } from './poison';
import { RelayLeadership } from './relay-store';
import { ensureTopics, openRelayProducer, SEND_TIMEOUT_MS, TOPIC_PARTITIONS_DEFAULT } from './relay-producer';

/** Events read from the store per batch; chunks then bound the bytes of each produce request. */
export const RELAY_BATCH_EVENTS_MAX = 2000;
/** Half the broker's default max.message.bytes (1 MiB): no partition's record batch in one request can be refused for size. */
export const RELAY_CHUNK_BYTES_MAX = 512 * 1024;
/** Just under the broker default (1,048,588): a larger record is dead-lettered locally, before the broker refuses it. */
export const RELAY_MESSAGE_BYTES_MAX = 1_000_000;
const STANDBY_POLL_MS = 1000;
const RESTART_DELAY_MS_MIN = 500;
const RESTART_DELAY_MS_MAX = 10_000;
const LAG_PROBE_INTERVAL_MS = 5000;
/** The lag probe counts at most this many events past the checkpoint; beyond it reports "at least". */
const LAG_PROBE_EVENTS_MAX = 1000;
const POISON_RECENT_MAX = 20;

export type RelayState = 'stopped' | 'standby' | 'running' | 'failing';

export interface RelayStatus {
  readonly status: RelayState;
  readonly topicMap: string;
  /** Acknowledged by the broker and checkpointed: a restart resumes strictly after it. */
  readonly lastPosition: bigint | undefined;
  /** The last event read from the store (may be ahead of lastPosition while a batch is in flight). */
  readonly readPosition: bigint | undefined;
  /** Events past the checkpoint at the last probe; with lagEventsCapped, at least that many. */
  readonly lagEvents: number | undefined;
  readonly lagEventsCapped: boolean;
  readonly lastAckAt: string | undefined;
  readonly lastError: string | undefined;
  readonly producedEvents: number;
  readonly poisonEvents: number;
  readonly internalEvents: number;
  /** kind:type pairs published to their stream kind's default topic because the stream catalogue does not name the type. */
  readonly unmappedTypes: readonly string[];
  /** prefix:type pairs never published because the stream catalogue does not know the stream's kind. */
  readonly unknownStreamTypes: readonly string[];
  readonly recentPoison: ReadonlyArray<{
    readonly eventId: string;
    readonly position: bigint;
    readonly type: string;
    readonly error: string;
  }>;
}

export interface KafkaRelayOptions {
  readonly store: EventStore;
  /** Postgres for the checkpoint, the dead letters and the leadership lock (the relay holds one connection while active). */
  readonly pool: Pool;
  readonly brokers: readonly string[];
  /** SSL, SASL, clientId...; brokers and logging are the relay's. */
  readonly kafkaConfig?: Omit<KafkaConfig, 'brokers' | 'logLevel' | 'logCreator'>;
  readonly topicMap?: TopicMapDefinition;
  /** Partitions for topics the relay creates; existing topics are left as they are. */
  readonly topicPartitions?: number;
  readonly batchEventsMax?: number;
  readonly chunkBytesMax?: number;
  readonly messageBytesMax?: number;
  readonly log?: (line: string) => void;
}

/**
 * Publishes the event log to Kafka, at least once, in log order: read a batch
 * from the checkpoint, send it, and only after the broker acknowledged it move
 * the checkpoint. A crash in between re-sends (consumers de-duplicate on the
 * event-id header); nothing is ever skipped except a poison event, which is
 * recorded in relay.dead_letters and reported.
 */
export class KafkaRelay {
  private readonly kafka: Kafka;
  private readonly map: TopicMapDefinition;
  private readonly log: (line: string) => void;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wakeSleep: (() => void) | undefined;
  private leadership: RelayLeadership | undefined;
  private subscription: Subscription | undefined;
  private producer: Producer | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  private checkpoint: bigint | undefined;
  private readPosition: bigint | undefined;
  private lag: { events: number; capped: boolean } | undefined;
  private lastAckAt: string | undefined;
  private lastError: string | undefined;
  private producedEvents = 0;
  private poisonEvents = 0;
  private internalEvents = 0;
  private readonly unmappedTypes = new Set<string>();
  private readonly unknownStreamTypes = new Set<string>();
  private readonly recentPoison: Array<RelayStatus['recentPoison'][number]> = [];

  constructor(private readonly options: KafkaRelayOptions) {
    if (options.brokers.length === 0) throw new RangeError('KafkaRelay needs at least one broker');
    this.map = options.topicMap ?? LOYALTY_TOPIC_MAP;
    this.log = options.log ?? (() => undefined);
    this.kafka = new Kafka({
      clientId: 'loyalty-kafka-relay',
      ...options.kafkaConfig,
      brokers: [...options.brokers],
      logLevel: logLevel.ERROR,
      logCreator: () => (entry) => this.log(`kafkajs: ${entry.log.message}`),
    });
  }

  start(): void {
    this.stopping = false;
    this.running ??= this.runUntilStopped();
    this.lagTimer ??= setInterval(() => void this.probeLag(), LAG_PROBE_INTERVAL_MS).unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.lagTimer);
    this.lagTimer = undefined;
    this.wakeSleep?.();
    await this.subscription?.close();
    await this.running;
    this.running = undefined;
  }

  status(): RelayStatus {
    const state: RelayState = !this.running ? 'stopped' : this.lastError ? 'failing' : this.leadership ? 'running' : 'standby';
    return {
      status: state,
      topicMap: this.map.name,
      lastPosition: this.checkpoint,
      readPosition: this.readPosition,
      lagEvents: this.lag?.events,
      lagEventsCapped: this.lag?.capped ?? false,
      lastAckAt: this.lastAckAt,
      lastError: this.lastError,
      producedEvents: this.producedEvents,
      poisonEvents: this.poisonEvents,
      internalEvents: this.internalEvents,
      unmappedTypes: [...this.unmappedTypes].sort(),
      unknownStreamTypes: [...this.unknownStreamTypes].sort(),
      recentPoison: [...this.recentPoison],
    };
  }

  private async runUntilStopped(): Promise<void> {
    let restartDelayMs = RESTART_DELAY_MS_MIN;
    while (!this.stopping) {
      try {
        if (this.leadership?.lost) await this.resign();
        this.leadership ??= await RelayLeadership.tryAcquire(this.options.pool, this.map.name, (reason) => this.onLeadershipLost(reason));
        if (!this.leadership) {
          this.lastError = undefined;
          await this.sleep(STANDBY_POLL_MS);
          continue;
        }
        this.log(`kafka relay ${this.map.name}: active`);
        await this.catchUpAndFollow(this.leadership);
        restartDelayMs = RESTART_DELAY_MS_MIN;
      } catch (error) {
        this.lastError = errorMessage(error);
        this.log(`kafka relay ${this.map.name} failed, resuming from its checkpoint in ${restartDelayMs} ms: ${this.lastError}`);
        await this.closeProducer();
        await this.sleep(restartDelayMs);
        restartDelayMs = Math.min(restartDelayMs * 2, RESTART_DELAY_MS_MAX);
      }
    }
    await this.closeProducer();
    await this.resign();
  }

  private async catchUpAndFollow(leadership: RelayLeadership): Promise<void> {
    await this.openProducer();
    this.checkpoint = await leadership.loadCheckpoint();
    this.readPosition = this.checkpoint;
    const subscription = this.options.store.subscribeToAll({ after: this.checkpoint });
    this.subscription = subscription;
    if (this.stopping || leadership.lost) await subscription.close();
    try {
      for await (const batch of batches(subscription, this.options.batchEventsMax ?? RELAY_BATCH_EVENTS_MAX)) {
        this.readPosition = batch[batch.length - 1]!.position;
        await this.publish(leadership, batch);
      }
    } finally {
      await subscription.close();
      this.subscription = undefined;
    }
  }

  private async publish(leadership: RelayLeadership, batch: readonly RecordedEvent[]): Promise<void> {
    const chunks = chunksOf(batch, this.map, {
      chunkBytesMax: this.options.chunkBytesMax ?? RELAY_CHUNK_BYTES_MAX,
      messageBytesMax: this.options.messageBytesMax ?? RELAY_MESSAGE_BYTES_MAX,
    });
    for (const chunk of chunks) {
      const deadLetters = [...chunk.deadLetters, ...(await this.send(chunk))];
      // Only now, after the broker acknowledged (or refused for good) every record in the chunk.
      await leadership.commit(this.checkpoint, chunk.lastPosition, deadLetters);
      this.checkpoint = chunk.lastPosition;
      this.lastAckAt = new Date().toISOString();
      this.lastError = undefined;
      this.producedEvents += chunk.messages.length - (deadLetters.length - chunk.deadLetters.length);
      this.internalEvents += chunk.internalEvents;
      for (const label of chunk.unmappedTypes) this.noteUnmapped(label);
      for (const label of chunk.unknownStreamTypes) this.noteUnknownStream(label);
      for (const dead of deadLetters) this.notePoison(dead);
    }
  }

  /** Sends the chunk in one request; if the broker condemns a record in it, finds which one record by record. */
  private async send(chunk: Chunk): Promise<DeadLetter[]> {
    if (chunk.messages.length === 0) return [];
    try {
      await this.sendBatch(chunk.messages);
      return [];
    } catch (error) {
      if (!poisonErrorType(error)) throw error;
      return this.isolatePoison(chunk.messages);
    }
  }

  /**
   * A refused request may have been written on other partitions, and kafkajs
   * rewinds its idempotence sequence numbers for the whole request; a fresh
   * producer (new producer id) avoids out-of-order-sequence errors. The
   * records re-sent here are duplicates at worst, which consumers absorb.
   */
  private async isolatePoison(messages: readonly OutgoingMessage[]): Promise<DeadLetter[]> {
    const dead: DeadLetter[] = [];
    await this.closeProducer();
    await this.openProducer();
    for (const outgoing of messages) {
      try {
        await this.sendBatch([outgoing]);
      } catch (error) {
        const type = poisonErrorType(error);
        if (!type) throw error;
        dead.push({ event: outgoing.event, topic: outgoing.topic, bytes: outgoing.bytes, error: `${type}: ${errorMessage(error)}` });
        await this.closeProducer();
        await this.openProducer();
      }
    }
    return dead;
  }

  private async sendBatch(messages: readonly OutgoingMessage[]): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new Error('kafka relay: producer is not connected');
    await producer.sendBatch({ topicMessages: topicMessagesOf(messages), acks: -1, timeout: SEND_TIMEOUT_MS });
  }

  private async openProducer(): Promise<void> {
    if (this.producer) return;
    this.producer = await openRelayProducer(this.kafka);
    await this.ensureTopics();
  }

  private async closeProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  /** Creates the map's topics if missing (existing ones keep their settings), so the first event of a new type has a home. */
  private async ensureTopics(): Promise<void> {
    const created = await ensureTopics(this.kafka, topicsOf(this.map), this.options.topicPartitions ?? TOPIC_PARTITIONS_DEFAULT);
    if (created.length > 0) this.log(`kafka relay ${this.map.name}: created topics ${created.join(', ')}`);
  }

  private async resign(): Promise<void> {
    const leadership = this.leadership;
    this.leadership = undefined;
    await leadership?.release().catch(() => undefined);
  }

  private onLeadershipLost(reason: string): void {
    this.lastError = reason;
    this.log(`kafka relay ${this.map.name}: ${reason}; stepping down`);
    void this.subscription?.close();
  }

  private noteUnmapped(label: string): void {
    if (this.unmappedTypes.has(label)) return;
    this.unmappedTypes.add(label);
    this.log(`kafka relay ${this.map.name}: ${label} is not in the stream catalogue; published to its stream kind's default topic`);
  }

  private noteUnknownStream(label: string): void {
    if (this.unknownStreamTypes.has(label)) return;
    this.unknownStreamTypes.add(label);
    this.log(`kafka relay ${this.map.name}: ${label} is on a stream of no catalogued kind; not published`);
  }

  private notePoison(dead: DeadLetter): void {
    this.poisonEvents++;
    this.recentPoison.push({ eventId: dead.event.eventId, position: dead.event.position, type: dead.event.type, error: dead.error });
    if (this.recentPoison.length > POISON_RECENT_MAX) this.recentPoison.shift();
    this.log(
      `kafka relay ${this.map.name}: POISON event ${dead.event.eventId} (${dead.event.type}, position ${dead.event.position}) ` +
        `set aside in relay.dead_letters: ${dead.error}`,
    );
  }

  private async probeLag(): Promise<void> {
    if (!this.leadership || this.stopping) return;
    try {
      const ahead = await this.options.store.readAll({ after: this.checkpoint, maxCount: LAG_PROBE_EVENTS_MAX });
      this.lag = { events: ahead.length, capped: ahead.length === LAG_PROBE_EVENTS_MAX };
    } catch {
      // The main loop reports store failures; a missed probe only leaves the figure older.
    }
  }

  /** A pause that stop() cuts short. */
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
