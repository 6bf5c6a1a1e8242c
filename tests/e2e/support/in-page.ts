/**
 * Functions that run inside an extension page (passed to Playwright's or puppeteer's
 * `evaluate`), shared by the Chromium and Firefox harnesses. Each takes one serialisable argument
 * and declares no named helpers inside (tsx would wrap them in a `__name` the page lacks).
 */

/** Every row of one object store of the extension's IndexedDB. */
export function readStoreInPage(name: string): Promise<unknown[]> {
  return new Promise<unknown[]>((resolve, reject) => {
    const open = indexedDB.open('flagline');
    open.onerror = () => reject(open.error ?? new Error('IndexedDB open failed'));
    open.onsuccess = () => {
      const request = open.result.transaction(name).objectStore(name).getAll();
      request.onsuccess = () => {
        resolve(request.result);
        open.result.close();
      };
      request.onerror = () => reject(request.error ?? new Error('IndexedDB read failed'));
    };
  });
}

/** Submits `count` page reports of tab `tabId` through the popup's message (`submitReport`); answers their ids. */
export async function submitInPage({ tabId, count, label }: { tabId: number; count: number; label: string }): Promise<string[]> {
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
}
