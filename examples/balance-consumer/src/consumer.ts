import { Consumer, Kafka, logLevel } from 'kafkajs';
import { BalanceBook } from './balances';

export interface BalanceConsumerOptions {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly topic?: string;
  readonly fromBeginning?: boolean;
  readonly book?: BalanceBook;
  readonly kafkaLogLevel?: logLevel;
}

export interface RunningBalanceConsumer {
  readonly book: BalanceBook;
  stop(): Promise<void>;
}

/**
 * Consumes loyalty.points into a BalanceBook. The event id, type and the
 * payload are all a consumer needs; the type comes from the event-type header
 * so the payload does not have to be parsed to route it.
 */
export async function startBalanceConsumer(options: BalanceConsumerOptions): Promise<RunningBalanceConsumer> {
  const book = options.book ?? new BalanceBook();
  const kafka = new Kafka({
    clientId: 'balance-consumer-example',
    brokers: [...options.brokers],
    logLevel: options.kafkaLogLevel ?? logLevel.ERROR,
  });
  const consumer: Consumer = kafka.consumer({ groupId: options.groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic ?? 'loyalty.points', fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const eventId = message.headers?.['event-id']?.toString();
      const type = message.headers?.['event-type']?.toString();
      if (!eventId || !type || !message.value) return Promise.reject(new Error('message without event-id/event-type headers or value'));
      book.apply({ eventId, type, data: JSON.parse(message.value.toString('utf8')) as Record<string, unknown> });
      return Promise.resolve();
    },
  });
  return { book, stop: () => consumer.disconnect() };
}
