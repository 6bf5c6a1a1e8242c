import type { Page } from '@playwright/test';
import type { Receiver } from '../../../scripts/receiver/server';
import type { ReportRecord } from '../../../utils/schema/record';
import type { ExtensionHarness } from './extension';

/** Submits reports through the popup's message path (`submitReport`) from an extension page. */
export async function submitMany(extension: ExtensionHarness, tabId: number, count: number, label: string): Promise<string[]> {
  const page = await extension.openOptions();
  const ids = await submitFrom(page, tabId, count, label);
  await page.close();
  return ids;
}

/** `submitMany` from an extension page the caller keeps open. */
export async function submitFrom(page: Page, tabId: number, count: number, label: string): Promise<string[]> {
  return page.evaluate(
    async ({ tabId, count, label }) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const reply = await chrome.runtime.sendMessage<unknown, { ok: boolean; data?: { id: string }; error?: unknown }>({
          type: 'submitReport',
          payload: { tabId, category: 'rumor', explanation: `${label} ${i}`, goodFaith: true },
        });
        if (!reply?.ok || !reply.data) throw new Error(`submit ${i} failed: ${JSON.stringify(reply)}`);
        ids.push(reply.data.id);
      }
      return ids;
    },
    { tabId, count, label },
  );
}

/** The outbox rows, read from an extension page the caller keeps open. */
export async function recordsFrom(page: Page): Promise<ReportRecord[]> {
  const rows = await page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('flagline');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB request failed'));
        open.onsuccess = () => {
          const request = open.result.transaction('reports').objectStore('reports').getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
        };
      }),
  );
  return rows as ReportRecord[];
}

/** Resolves once the receiver holds every one of `ids`; throws after `timeoutMs`. */
export async function waitForAll(receiver: Receiver, ids: string[], timeoutMs: number, between?: () => Promise<void>) {
  const deadline = Date.now() + timeoutMs;
  const want = new Set(ids);
  while (Date.now() < deadline) {
    const have = receiver.reports().filter((r) => want.has(r.id)).length;
    if (have === want.size) return;
    await (between ? between() : new Promise((resolve) => setTimeout(resolve, 200)));
  }
  throw new Error(`only ${receiver.reports().filter((r) => want.has(r.id)).length} of ${want.size} arrived`);
}

/** The toolbar badge as the running worker sees it: global text and colour, and for one tab. */
export async function badge(extension: ExtensionHarness, tabId?: number): Promise<{ text: string; color: number[]; tabText?: string }> {
  const worker = await extension.worker();
  return worker.evaluate(async (tabId) => {
    const text = await chrome.action.getBadgeText({});
    const color = (await chrome.action.getBadgeBackgroundColor({})) as unknown as number[];
    const tabText = tabId === undefined ? undefined : await chrome.action.getBadgeText({ tabId });
    return { text, color: [...color], ...(tabText === undefined ? {} : { tabText }) };
  }, tabId);
}
