export { PostgresEventStore } from './postgres-event-store';
export { EVENT_STORE_SCHEMA } from './schema';
