/** Injection tokens for the adapters the composition root provides. */
export const EVENT_STORE = Symbol('EventStore');
export const READ_MODELS = Symbol('ReadModelsDataSource');
export const LEDGER_CONFIG = Symbol('LedgerConfig');
export const PROJECTOR = Symbol('Projector');
export const CLOCK = Symbol('Clock');
export const METRICS = Symbol('LedgerMetrics');
export const RELAY = Symbol('KafkaRelay');
export const NOTIFICATION_RELAY = Symbol('NotificationRelay');
export const VAULT = Symbol('PersonalDataVault');
export const WEBHOOKS = Symbol('WebhookWorker');

/** The only clock in the ledger: commands are stamped here and the domain never reads time. */
export interface Clock {
  now(): Date;
}
