/** The jest global setup: one embedded PostgreSQL for the run (TEST_DATABASE_URL). */
export default function globalSetup(): Promise<void>;
