export * from './topics/topic-map';
export * from './relay/messages';
export * from './relay/chunks';
export * from './relay/poison';
export * from './relay/relay-store';
export * from './relay/kafka-relay';
export * from './notifications/notification-relay';
