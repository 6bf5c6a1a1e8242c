import { startReceiver, type Receiver } from '../support/receiver';
import { submitMany, waitForAll } from './support/delivery';
import { ExtensionHarness } from './support/extension';
import { expect, test } from './support/fixtures';

/**
 * Delivery through a misbehaving endpoint, a dying service worker, a closed browser and an
 * endpoint that goes away and comes back. The e2e build retries after fractions of a second
 * (entrypoints/background.ts E2E_LIMITS); everything else is the production code path.
 */

/** Sends `flushOutbox` from an extension page, as the popup does when it opens. */
async function poke(extension: ExtensionHarness) {
  const page = await extension.openOptions();
  await page.evaluate(() => chrome.runtime.sendMessage({ type: 'flushOutbox', payload: {} }).catch(() => undefined));
  await page.close();
}

function expectExactlyOnce(receiver: Receiver, ids: string[]) {
  const stored = receiver.reports().map((r) => r.id);
  expect(new Set(stored).size).toBe(stored.length);
  expect(stored.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
  expect(receiver.conflicts()).toBe(0);
}

test.describe('reliable delivery', () => {
  test('40 reports through 5xx, resets, 429 and slow answers while the worker is stopped again and again', async ({ extension, receiver }) => {
    test.setTimeout(120_000);
    Object.assign(receiver.faults, { seed: 11, error5xxRate: 0.2, resetRate: 0.2, throttleRate: 0.15, retryAfterSeconds: 1, delayMs: 150 });
    const target = await extension.context.newPage();
    await target.goto(`${receiver.url}/demo`);
    const tabId = await extension.tabIdOf(target);

    const ids = await submitMany(extension, tabId, 42, 'fault run');
    let stops = 0;
    await waitForAll(receiver, ids, 90_000, async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (stops < 8) {
        await extension.stopServiceWorker();
        stops++;
        // A stopped worker wakes on the next event: here, as when the popup opens (flushOutbox).
        await poke(extension);
      }
    });
    expect(stops).toBeGreaterThanOrEqual(1);
    expectExactlyOnce(receiver, ids);
    const faults = receiver.faultCounts;
    expect(faults.error5xx + faults.reset + faults.throttle).toBeGreaterThan(0);
    await expect.poll(async () => (await extension.records()).filter((r) => r.status === 'sent').length, { timeout: 15_000 }).toBe(42);
  });

  test('the browser closed mid-flush and reopened on the same profile loses nothing', async ({ receiver }) => {
    test.setTimeout(90_000);
    const first = await ExtensionHarness.launch();
    const userDataDir = first.userDataDir;
    let second: ExtensionHarness | undefined;
    try {
      await first.setEndpoint(receiver.endpoint);
      const target = await first.context.newPage();
      await target.goto(`${receiver.url}/demo`);
      const tabId = await first.tabIdOf(target);
      // Slow acknowledgements: the browser goes away while requests are in flight.
      receiver.faults.delayMs = 2000;
      const ids = await submitMany(first, tabId, 12, 'closed mid-flush');
      await expect.poll(() => receiver.requests.length, { timeout: 10_000 }).toBeGreaterThan(0);
      await first.close({ keepProfile: true });
      const before = receiver.reports().length;
      expect(before).toBeLessThanOrEqual(12);

      receiver.faults.delayMs = 0;
      second = await ExtensionHarness.launch({ userDataDir });
      await waitForAll(receiver, ids, 40_000);
      expectExactlyOnce(receiver, ids);
      await expect.poll(async () => (await second!.records()).filter((r) => r.status === 'sent').length, { timeout: 15_000 }).toBe(12);
    } finally {
      await second?.close();
      const { rm } = await import('node:fs/promises');
      await rm(userDataDir, { recursive: true, force: true });
    }
  });

  test('reports made while the endpoint is unreachable are delivered when it is back', async ({ extension, receiver }) => {
    test.setTimeout(60_000);
    const target = await extension.context.newPage();
    await target.goto(`${receiver.url}/demo`);
    const tabId = await extension.tabIdOf(target);
    const port = receiver.port;
    await receiver.close();

    const ids = await submitMany(extension, tabId, 3, 'offline');
    await expect
      .poll(async () => (await extension.records()).filter((r) => ids.includes(r.id)).map((r) => `${r.status}:${r.lastError?.kind}`), { timeout: 15_000 })
      .toEqual(['waiting:network', 'waiting:network', 'waiting:network']);
    const popup = await extension.openPopup(tabId);
    await expect(popup.getByText(/could not be reached/).first()).toBeVisible();

    const back = await startReceiver({ port });
    try {
      await waitForAll(back, ids, 30_000);
      expectExactlyOnce(back, ids);
      await expect(popup.getByRole('region', { name: 'Recent reports' }).getByText('Sent')).toHaveCount(3, { timeout: 15_000 });
    } finally {
      await back.close();
    }
  });

  test('an endpoint that does not answer CORS is explained, with an offer to allow access to its origin', async ({ extension }) => {
    // 127.0.0.2 is loopback but outside the e2e build's host access, so CORS applies.
    const strict = await startReceiver({ host: '127.0.0.2', faults: { noCors: true } });
    try {
      const site = await startReceiver();
      const target = await extension.context.newPage();
      await target.goto(`${site.url}/demo`);
      const tabId = await extension.tabIdOf(target);
      await extension.setEndpoint(strict.endpoint);
      const [id] = await submitMany(extension, tabId, 1, 'no cors');
      await expect.poll(async () => (await extension.records()).find((r) => r.id === id)?.lastError?.kind, { timeout: 15_000 }).toBe('cors');
      expect(strict.reports()).toHaveLength(0);

      const popup = await extension.openPopup(tabId);
      await expect(popup.getByText(/does not let this extension send to it/).first()).toBeVisible();
      const options = await extension.openOptions();
      await expect(options.getByText(/can be reached but does not allow this extension to send to it/)).toBeVisible();
      await expect(options.getByRole('button', { name: `Allow access to ${strict.url}` })).toBeVisible();
      await site.close();
    } finally {
      await strict.close();
    }
  });
});
