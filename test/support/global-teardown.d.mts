/** Stops the global setup's PostgreSQL. */
export default function globalTeardown(): Promise<void>;
