import type { TestProject } from 'vitest/node';
import { ensureDeskUi } from '../../scripts/desk-ui.mjs';
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
  // Built once here, before suites start Desks as child processes (which would each build it if missing or stale).
  await ensureDeskUi();
  project.provide('postgresUrl', postgres.url);
  return () => postgres.stop();
}
