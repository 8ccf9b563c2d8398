export * from './config/config';
export * from './database/embedded-postgres';
export * from './database/pool';
export * from './observability/json-logger';
export * from './observability/metrics';
export * from './personal-data/personal-data-vault';
export * from './sql/query-rows';
export * from './config/run-process';
