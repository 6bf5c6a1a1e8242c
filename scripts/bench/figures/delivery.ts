import { startReceiver, type Receiver } from '../../../tests/support/receiver';
import { ExtensionHarness } from '../../../tests/e2e/support/extension';
import { BUILT_IN_CATEGORIES } from '../../../utils/categories';
import { buildReport } from '../../../utils/reports';
import type { Report } from '../../../utils/schema/report';
import { sample, type Figure } from '../harness';

/**
 * Both figures are measured in the REAL extension (the e2e build) in Chromium, same run, same
 * payloads, against the real reference receiver on loopback:
 *
 * `delivery.flush1000Ms`: 1,000 reports written to the extension's IndexedDB as `waiting`, then
 * one `flushOutbox` message → its reply (the flush has durably recorded every answer) and the
 * receiver holds all 1,000. That is the whole outbox: batch leases, batches by the default
 * settings (50 reports / 5 MB), per-report results, every acknowledgement recorded, in the
 * service worker. `delivery.arrived1000Ms` is the part until the receiver holds all 1,000 (the
 * outbox records the last answers after that). `delivery.applied1000Ms` runs on until every
 * report record itself says `sent` with its ledger line: the outbox records a fully acknowledged
 * batch as one write to its lease row and applies it to the records after replying (readers show
 * those reports as sent meanwhile; utils/leases.ts).
 *
 * `delivery.rawFetch1000Ms`: the same 1,000 payloads posted from the same service worker by plain
 * sequential `fetch`, 50 per request, to a fresh receiver — the floor the outbox is compared to.
 */
const COUNT = 1000;
const BATCH = 50;

function makeReports(run: number): Report[] {
  return Array.from({ length: COUNT }, (_, i) =>
    buildReport(
      { tabId: 1, category: i % 3 ? 'rumor' : 'cyberviolence', explanation: `bench report ${run}/${i} — 这是一条测试举报。`.repeat(3), goodFaith: true },
      { url: `https://forum.example/thread/${i}`, title: `Thread ${i} 讨论` },
      { clock: () => Date.now(), newId: () => crypto.randomUUID(), categories: BUILT_IN_CATEGORIES, client: { version: '0.1.0', locale: 'zh-CN' } },
    ),
  );
}

async function until(receiver: Receiver, count: number, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (receiver.reports().length < count) {
    if (Date.now() > deadline) throw new Error(`only ${receiver.reports().length} of ${count} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function measureDelivery(runs = 5): Promise<Figure[]> {
  const extension = await ExtensionHarness.launch();
  const flush: number[] = [];
  const arrived: number[] = [];
  const applied: number[] = [];
  const raw: number[] = [];
  try {
    await sample(runs, async (i) => {
      const reports = makeReports(i);
      const receiver = await startReceiver();
      await extension.setEndpoint(receiver.endpoint);
      // A blank extension page (no live queries of its own) writes the reports and starts the flush.
      const page = await extension.context.newPage();
      await page.goto(extension.url('protocol/batch-response.schema.json'));
      await page.evaluate(
        (rows) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('flagline');
            open.onerror = () => reject(open.error ?? new Error('IndexedDB request failed'));
            open.onsuccess = () => {
              const tx = open.result.transaction('reports', 'readwrite');
              const store = tx.objectStore('reports');
              store.clear();
              const now = Date.now();
              rows.forEach((report, n) =>
                store.add({ id: report.id, report, status: 'waiting', createdAt: now + n, updatedAt: now, attempts: 0, nextAttemptAt: now }),
              );
              tx.oncomplete = () => {
                open.result.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error ?? new Error('IndexedDB request failed'));
            };
          }),
        reports,
      );
      const start = performance.now();
      const startedAt = Date.now();
      let arrivedMs = 0;
      await Promise.all([
        page.evaluate(() => chrome.runtime.sendMessage({ type: 'flushOutbox', payload: {} })),
        until(receiver, COUNT).then(() => (arrivedMs = performance.now() - start)),
      ]);
      const flushMs = performance.now() - start;
      // The records catch up with the acknowledgements after the reply (utils/outbox/settle.ts
      // applyAcknowledged): measured apart, and finished before the raw run so it never shares
      // the worker with it.
      // A string, not a function: tsx would wrap the inner named function in `__name`, which the page lacks.
      await page.evaluate(`new Promise((resolve, reject) => {
        const open = indexedDB.open('flagline');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB request failed'));
        open.onsuccess = () => {
          const poll = () => {
            const count = open.result.transaction('leases').objectStore('leases').count();
            count.onerror = () => reject(count.error);
            count.onsuccess = () => {
              if (count.result === 0) {
                open.result.close();
                resolve();
              } else setTimeout(poll, 5);
            };
          };
          poll();
        };
      })`);
      const appliedMs = performance.now() - start;
      await page.close();
      if (process.env.BENCH_DEBUG) {
        const at = receiver.requests.map((r) => r.at);
        console.log(
          `requests ${at.length}, first after ${at[0]! - startedAt} ms, gaps ${at
            .slice(1)
            .map((t, k) => t - at[k]!)
            .join(' ')}`,
        );
      }
      await receiver.close();

      const plain = await startReceiver();
      const worker = await extension.worker();
      const bodies = [];
      for (let offset = 0; offset < COUNT; offset += BATCH) bodies.push(JSON.stringify({ reports: reports.slice(offset, offset + BATCH) }));
      const rawStart = performance.now();
      await worker.evaluate(
        async ({ endpoint, bodies }) => {
          for (const body of bodies) {
            const response = await fetch(endpoint, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body,
              credentials: 'omit',
              cache: 'no-store',
            });
            await response.text();
          }
        },
        { endpoint: plain.endpoint, bodies },
      );
      const rawMs = performance.now() - rawStart;
      if (plain.reports().length !== COUNT) throw new Error(`raw fetch delivered ${plain.reports().length} of ${COUNT}`);
      await plain.close();
      if (i >= 0) {
        flush.push(flushMs);
        arrived.push(arrivedMs);
        applied.push(appliedMs);
        raw.push(rawMs);
      }
      return flushMs;
    });
  } finally {
    await extension.close();
  }
  return [
    { key: 'delivery.flush1000Ms', unit: 'ms', runs: flush, target: '≤ 1.2 × delivery.rawFetch1000Ms' },
    { key: 'delivery.arrived1000Ms', unit: 'ms', runs: arrived },
    { key: 'delivery.applied1000Ms', unit: 'ms', runs: applied },
    { key: 'delivery.rawFetch1000Ms', unit: 'ms', runs: raw },
  ];
}
