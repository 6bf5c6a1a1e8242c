import { defineConfig } from '@playwright/test';

/**
 * E2E tests drive a real Chromium with the e2e build of the extension (`npm run build:e2e`)
 * against the reference receiver on 127.0.0.1. Every test launches its own browser profile.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  outputDir: 'test-results',
  use: { trace: 'retain-on-failure' },
});
