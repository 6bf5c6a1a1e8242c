import { expect, test } from '@playwright/test';
import { startReceiver } from '../support/receiver';
import { BUILT_IN_CATEGORIES } from '../../utils/categories';
import { buildReport } from '../../utils/reports';
import type { ReportRecord } from '../../utils/schema/record';
import { ExtensionHarness, PRODUCTION_BUILD } from './support/extension';

/**
 * The production build has no host permissions: its fetch to the endpoint is a CORS request
 * (preflighted, with the extension's Origin). This proves delivery works that way, against the
 * reference receiver, which answers CORS for extension origins.
 */
test('the production build delivers to an endpoint that answers CORS, with no host permission', async () => {
  const receiver = await startReceiver();
  const extension = await ExtensionHarness.launch({ extensionDir: PRODUCTION_BUILD });
  try {
    await extension.setEndpoint(receiver.endpoint, 'prod-token');
    const now = Date.now();
    const report = buildReport(
      { tabId: 1, category: 'minors', subReason: 'self_harm', explanation: 'dangerous challenge', goodFaith: true },
      { url: 'https://video.example/watch?v=1', title: 'Challenge' },
      { clock: () => now, newId: () => crypto.randomUUID(), categories: BUILT_IN_CATEGORIES, client: { version: '0.1.0', locale: 'en' } },
    );
    const record: ReportRecord = { id: report.id, report, status: 'waiting', createdAt: now, updatedAt: now, attempts: 0, nextAttemptAt: now };
    const page = await extension.openOptions();
    await page.evaluate(
      (row) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('flagline');
          open.onsuccess = () => {
            const tx = open.result.transaction('reports', 'readwrite');
            tx.objectStore('reports').put(row);
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error ?? new Error('IndexedDB request failed'));
          };
        }),
      record,
    );
    await page.evaluate(() => chrome.runtime.sendMessage({ type: 'flushOutbox', payload: { force: false } }));
    const stored = await receiver.waitForReport((r) => r.id === report.id);
    expect(stored.report).toEqual(report);
    expect(receiver.requests[0]).toMatchObject({ origin: `chrome-extension://${extension.id}`, authorization: 'Bearer prod-token', status: 200 });
    await expect.poll(async () => (await extension.records())[0]?.status).toBe('sent');
  } finally {
    await extension.close();
    await receiver.close();
  }
});
