import { startReceiver } from '../support/receiver';
import { badge, recordsFrom, submitFrom, submitMany, waitForAll } from './support/delivery';
import { expect, test } from './support/fixtures';

/**
 * What starts a delivery, and what the toolbar shows meanwhile, in the running service worker —
 * no popup is opened unless a step says so. The e2e build retries after fractions of a second
 * (entrypoints/background.ts E2E_LIMITS); everything else is the production code path.
 */

const OUTBOX_ALARM = 'flagline-outbox';
/** utils/badge.ts BADGE_COLORS as RGBA. */
const BLUE = [0x1a, 0x73, 0xe8, 255];
const RED = [0xc5, 0x22, 0x1f, 255];

test.describe('delivery triggers', () => {
  test('the toolbar badge counts reports waiting or failed, follows every change and clears when all are sent', async ({ extension, receiver }) => {
    const target = await extension.context.newPage();
    await target.goto(`${receiver.url}/demo`);
    const tabId = await extension.tabIdOf(target);
    expect(await badge(extension, tabId)).toEqual({ text: '', color: BLUE, tabText: '' });

    // The endpoint cannot be reached: saved reports wait, and the badge counts them as they are saved.
    await extension.context.setOffline(true);
    await submitMany(extension, tabId, 2, 'badge offline');
    await expect.poll(() => badge(extension, tabId)).toEqual({ text: '2', color: BLUE, tabText: '2' });
    await submitMany(extension, tabId, 1, 'badge offline more');
    await expect.poll(() => badge(extension, tabId)).toEqual({ text: '3', color: BLUE, tabText: '3' });

    // Back online: delivered, and the badge clears.
    await extension.context.setOffline(false);
    await expect.poll(() => receiver.reports().length, { timeout: 20_000 }).toBe(3);
    await expect.poll(() => badge(extension, tabId)).toEqual({ text: '', color: BLUE, tabText: '' });

    // An endpoint that refuses the report (401: a token is required) is a failure the user must
    // see: the badge turns red with the count.
    const locked = await startReceiver({ token: 'school-token-1234' });
    try {
      await extension.setEndpoint(locked.endpoint);
      const [refused] = await submitMany(extension, tabId, 1, 'badge refused');
      await expect.poll(async () => (await extension.records()).find((r) => r.id === refused)?.status, { timeout: 15_000 }).toBe('failed');
      await expect.poll(() => badge(extension, tabId)).toEqual({ text: '1', color: RED, tabText: '1' });

      // The user adds the token: saving the settings retries everything (OptionsApp), so the
      // report is sent and the badge clears again.
      await extension.setEndpoint(locked.endpoint, 'school-token-1234');
      await locked.waitForReport((r) => r.id === refused);
      await expect.poll(() => badge(extension, tabId)).toEqual({ text: '', color: BLUE, tabText: '' });
    } finally {
      await locked.close();
    }
  });

  test('back online, reports that waited for the network are delivered at once, without the popup and whatever their backoff', async ({
    extension,
    receiver,
  }) => {
    const target = await extension.context.newPage();
    await target.goto(`${receiver.url}/demo`);
    const tabId = await extension.tabIdOf(target);
    const worker = await extension.worker();
    // The platform fact this feature works around: Chromium's service worker has no `online`
    // event (crbug.com/114475), though `navigator.onLine` follows the network. If this ever
    // fails, Chromium added the event and utils/connectivity.ts can lean on it.
    expect(await worker.evaluate(() => 'ononline' in self)).toBe(false);

    // One settings page stays open through the offline part. Under emulation Chromium sets the
    // worker's `navigator.onLine` only through the DevTools sessions of pages in the same renderer
    // process (the extension's pages): with none open, or as soon as one closes, the worker reads
    // `true` again while its fetches still fail (checked by hand on Chromium 156). On a real
    // network change `navigator.onLine` follows the OS. The settings page sends nothing on its
    // own; no popup is ever opened.
    const helper = await extension.openOptions();
    await extension.context.setOffline(true);
    expect(await worker.evaluate(() => navigator.onLine)).toBe(false);
    const ids = await submitFrom(helper, tabId, 3, 'network back');
    await expect
      .poll(async () => (await recordsFrom(helper)).map((r) => `${r.status}:${r.lastError?.kind}`), { timeout: 15_000 })
      .toEqual(['waiting:network', 'waiting:network', 'waiting:network']);

    // After a long outage the production backoff reaches an hour (OUTBOX_LIMITS.backoffCapMs);
    // the e2e build's is capped at 2 s, so put each report's next attempt an hour away by hand.
    const hourAway = () =>
      helper.evaluate(
        (ids) =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('flagline');
            open.onerror = () => reject(open.error ?? new Error('IndexedDB request failed'));
            open.onsuccess = () => {
              const tx = open.result.transaction('reports', 'readwrite');
              const store = tx.objectStore('reports');
              let far = 0;
              for (const id of ids) {
                const get = store.get(id);
                get.onsuccess = () => {
                  const record = get.result as { status: string; nextAttemptAt: number };
                  if (record.status !== 'waiting') return;
                  if (record.nextAttemptAt < Date.now() + 30 * 60_000) store.put({ ...record, nextAttemptAt: Date.now() + 60 * 60_000 });
                  else far++;
                };
              }
              tx.oncomplete = () => resolve(far);
              tx.onerror = () => reject(tx.error ?? new Error('IndexedDB request failed'));
            };
          }),
        ids,
      );
    await expect.poll(hourAway, { timeout: 15_000 }).toBe(3);
    // Offline, the worker looks again soon (the e2e build: every second) instead of in an hour.
    await expect
      .poll(() => worker.evaluate(async (name) => ((await chrome.alarms.get(name))?.scheduledTime ?? Infinity) - Date.now(), OUTBOX_ALARM))
      .toBeLessThan(30_000);
    expect(await worker.evaluate(() => navigator.onLine)).toBe(false);
    expect(receiver.requests).toHaveLength(0);

    // The network returns. Nothing is clicked, no popup is open.
    expect(extension.context.pages().filter((p) => p.url().includes('/popup.html'))).toEqual([]);
    await extension.context.setOffline(false);
    await waitForAll(receiver, ids, 15_000);
    expect(extension.context.pages().filter((p) => p.url().includes('/popup.html'))).toEqual([]);
    await expect.poll(async () => (await recordsFrom(helper)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  test('every worker start re-creates the delivery alarm while reports wait', async ({ extension, receiver }) => {
    const target = await extension.context.newPage();
    await target.goto(`${receiver.url}/demo`);
    const tabId = await extension.tabIdOf(target);
    await extension.context.setOffline(true);
    await submitMany(extension, tabId, 1, 'alarm');
    const worker = await extension.worker();
    await expect.poll(() => worker.evaluate((name) => chrome.alarms.get(name).then((a) => a?.name ?? null), OUTBOX_ALARM)).toBe(OUTBOX_ALARM);

    // Mark this worker's global scope and stop the worker; then, with no worker running to set
    // it again, lose the alarm (as a browser restart may). An extension page may use the alarms API.
    await worker.evaluate(() => {
      (self as unknown as { beforeStop: boolean }).beforeStop = true;
    });
    const page = await extension.context.newPage();
    await page.goto(extension.url('options.html'));
    await page.getByRole('button', { name: 'Save settings' }).waitFor();
    await extension.stopServiceWorker();
    await page.evaluate((name) => chrome.alarms.clear(name), OUTBOX_ALARM);
    expect(await page.evaluate((name) => chrome.alarms.get(name).then((a) => a ?? null), OUTBOX_ALARM)).toBeNull();

    // Wake the worker with a message it refuses (not flushOutbox, not submitReport): only the
    // worker's start-up code can set the alarm again.
    const reply = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'not-a-flagline-message' }));
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
    // Playwright may keep one handle across the restart: ask every handle, and require a fresh scope.
    const afterRestart = async () => {
      for (const w of extension.context.serviceWorkers()) {
        const seen = await w
          .evaluate(
            async (name) => ({ fresh: !(self as unknown as { beforeStop?: boolean }).beforeStop, alarm: (await chrome.alarms.get(name))?.name ?? null }),
            OUTBOX_ALARM,
          )
          .catch(() => undefined);
        if (seen) return seen;
      }
      return undefined;
    };
    await expect.poll(afterRestart).toEqual({ fresh: true, alarm: OUTBOX_ALARM });
  });
});
