export * from './port';
export * from './postgres';
export * from './eventstoredb';
export * from './run-command';
export * from './stream-locks';
export * from './instrumented-event-store';
