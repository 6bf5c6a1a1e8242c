import { defineConfig } from 'vitest/config';

/**
 * The Desk's tests: plain Node (no extension environment), each suite run against SQLite and a
 * real PostgreSQL that tests/desk/global-setup.ts starts (scripts/postgres.ts).
 */
export default defineConfig({
  test: {
    include: ['tests/desk/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/desk/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The kill tests start child processes and a database each: keep the two cores for them.
    fileParallelism: false,
  },
});
