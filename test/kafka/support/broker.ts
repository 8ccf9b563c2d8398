// The broker launcher lives with libs/messaging because `npm run bench`
// (compiled from dist/, which holds no test/ code) starts the same broker.
export { LocalBroker } from '../../../libs/messaging/src/testing/local-broker';
export { kafkaForRun } from '../../../libs/messaging/src/testing/kafka-for-run';
