/**
 * Reporter feedback (issue 18): `status.poll1000Ms` — the status of 1,000 delivered reports
 * refreshed against a real Desk (a child process on SQLite) by the extension's own status check
 * (`checkStatuses`: 10 batch requests, answers parsed and stored), beside `status.rawFetch1000Ms`,
 * the same 10 requests by bare `fetch` with the answers parsed and nothing stored. Goal ≤ 1.2×.
 *
 * The extension's database is Dexie over fake-indexeddb here (Node has no IndexedDB), which is
 * slower than a browser's: the figure overstates the cost of storing the answers, if anything.
 * The 1,000 reports reach the Desk through the extension's real outbox, so their status tokens
 * are kept by the same code as in the browser.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_IN_CATEGORIES } from '../../../utils/categories';
import { FlaglineDB } from '../../../utils/db';
import { flushOutbox } from '../../../utils/outbox';
import { buildReport, saveNewReport } from '../../../utils/reports';
import type { ReportRecord } from '../../../utils/schema/record';
import { UserSettings } from '../../../utils/schema/settings';
import { StatusBatchResponse } from '../../../utils/schema/wire';
import { checkStatuses } from '../../../utils/status/check';
import { statusUrlOf } from '../../../utils/status/schedule';
import { runCli, serveDesk } from '../../../tests/desk/support/child';
import { freePort } from '../../free-port';
import { sample, type Figure } from '../harness';

const REPORTS = 1000;

async function deliveredReports(db: FlaglineDB, endpoint: string, token: string): Promise<ReportRecord[]> {
  let n = 0;
  const clock = () => Date.now();
  for (let i = 0; i < REPORTS; i++) {
    const report = buildReport(
      { tabId: 1, category: 'rumor', explanation: `bench ${i}: 明天全市停水三天的消息是假的`, goodFaith: true },
      { url: `https://weibo.example/post/${i}`, title: `Post ${i}` },
      { clock, newId: () => crypto.randomUUID(), categories: BUILT_IN_CATEGORIES, client: { version: '0.0.0', locale: 'en' } },
    );
    await saveNewReport(db, report, clock);
    n++;
  }
  const settings = UserSettings.parse({ endpointUrl: endpoint, accessToken: token });
  await flushOutbox({
    db,
    fetch: globalThis.fetch,
    clock,
    random: Math.random,
    workerId: 'bench',
    getSettings: async () => settings,
  });
  const records = await db.reports.toArray();
  const tracked = records.filter((r) => r.status === 'sent' && r.statusToken);
  if (tracked.length !== n) throw new Error(`status bench: ${tracked.length} of ${n} reports delivered with a status token`);
  return tracked;
}

export async function measureStatus(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flagline-bench-status-'));
  const port = await freePort();
  const channel = JSON.parse(runCli(['channel', 'create', '--name', 'bench', '--port', String(port), '--data', dir]).stdout) as {
    token: string;
    endpoint: string;
  };
  const desk = await serveDesk(['--data', dir], port);
  const db = new FlaglineDB(`bench-status-${crypto.randomUUID()}`);
  try {
    const delivered = await deliveredReports(db, channel.endpoint, channel.token);
    const statusUrl = statusUrlOf(delivered[0]!)!;
    // Every run starts from the same records: due now, nothing learnt yet.
    const reset = async () => {
      await db.reports.bulkPut(delivered.map((record) => ({ ...record, statusCheck: { step: 0, nextAt: 0 } })));
      await db.keyValue.clear();
    };
    const poll = await sample(7, async () => {
      await reset();
      const start = performance.now();
      const result = await checkStatuses({ db, fetch: globalThis.fetch, clock: () => Date.now() });
      const elapsed = performance.now() - start;
      if (result.asked !== REPORTS || result.changed.length !== REPORTS)
        throw new Error(`status bench: asked ${result.asked}, learnt ${result.changed.length}`);
      return elapsed;
    });
    const bodies = Array.from({ length: REPORTS / 100 }, (_, i) =>
      JSON.stringify({ reports: delivered.slice(i * 100, i * 100 + 100).map((record) => ({ id: record.id, token: record.statusToken })) }),
    );
    const raw = await sample(7, async () => {
      const start = performance.now();
      let answered = 0;
      for (const body of bodies) {
        const response = await fetch(statusUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
        answered += StatusBatchResponse.parse(await response.json()).results.length;
      }
      if (answered !== REPORTS) throw new Error(`status bench: raw fetch got ${answered} answers`);
      return performance.now() - start;
    });
    return [
      { key: 'status.poll1000Ms', unit: 'ms', runs: poll, target: '≤ 1.2× status.rawFetch1000Ms' },
      { key: 'status.rawFetch1000Ms', unit: 'ms', runs: raw },
    ];
  } finally {
    db.close();
    desk.child.kill('SIGTERM');
    await desk.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
