import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres } from '../../scripts/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the throwaway PostgreSQL cluster the Desk suites run against. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // fsync off: these tests kill the Desk, never the database server, so its durability is not
  // what they test, and an fsync per commit would only slow them down.
  const postgres = await startThrowawayPostgres({ fsync: false });
  project.provide('postgresUrl', postgres.url);
  return () => postgres.stop();
}
