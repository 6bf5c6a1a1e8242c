/**
 * The soak (issue 20, "prove the reliability promise"): reports from the real extension in a real
 * Chromium to a real Desk (`desk serve` in a child process, SQLite), through a proxy that makes a
 * share of the requests fail, while the driver stops the service worker, kills the browser with
 * SIGKILL and relaunches it on the same profile, and kills the Desk with SIGKILL and starts it
 * again on the same data. At the end the Desk's own `export` must hold every report exactly once,
 * with the body the extension holds and every evidence hash verified, and the extension must show
 * each one as delivered.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { freePort } from '../../../scripts/free-port';
import { runCli, serveDesk, type DeskProcess } from '../../desk/support/child';
import { seededRandom } from '../../support/receiver';
import type { ReportRecord } from '../../../utils/schema/record';
import { canonicalJson } from '../../../utils/evidence/hash';
import { submitFrom } from './delivery';
import { ExtensionHarness, submitReport } from './extension';
import { E2E_CAPTURE_BUILD, pickByClick, startPicker } from './picker';

export interface SoakPlan {
  reports: number;
  /** Of `reports`, how many are picked on a page with the real picker (with screenshots). */
  picked: number;
  workerStops: number;
  browserKills: number;
  deskKills: number;
  /** Share of requests the proxy makes fail (503, reset before or after the Desk stored the batch). */
  faultRate: number;
  /** Where the static test pages are served (tests/fixtures). */
  siteUrl: string;
  seed?: number;
}

export interface SoakSummary {
  plan: Omit<SoakPlan, 'siteUrl'>;
  sent: number;
  acknowledged: number;
  inDesk: number;
  lost: number;
  doubled: number;
  conflictingBodies: number;
  evidenceUnverified: number;
  withEvidence: number;
  workerStops: number;
  browserKills: number;
  deskKills: number;
  proxied: number;
  faults: { error503: number; resetBefore: number; resetAfter: number; deskDown: number };
  durationMs: number;
}

/** A proxy in front of the Desk that fails `rate` of the requests, three ways. */
async function faultyProxy(upstream: () => string, rate: number, random: () => number) {
  const faults = { error503: 0, resetBefore: 0, resetAfter: 0, deskDown: 0 };
  let proxied = 0;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        proxied++;
        const draw = random();
        const post = request.method === 'POST';
        if (post && draw < rate / 3) {
          faults.error503++;
          response.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '0' });
          return response.end('{"reason":"soak: injected 503"}');
        }
        if (post && draw < (2 * rate) / 3) {
          faults.resetBefore++;
          return request.socket.destroy();
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
        }
        let answer: Response;
        try {
          answer = await fetch(`${upstream()}${request.url ?? '/'}`, {
            method: request.method ?? 'GET',
            headers,
            ...(post ? { body: Buffer.concat(chunks) } : {}),
            redirect: 'manual',
          });
        } catch {
          faults.deskDown++;
          response.writeHead(502, { 'Content-Type': 'application/json' });
          return response.end('{"reason":"soak: the Desk is down"}');
        }
        const body = Buffer.from(await answer.arrayBuffer());
        if (post && draw < rate) {
          // The Desk stored the batch; the answer never arrives. The resend must not double it.
          faults.resetAfter++;
          return request.socket.destroy();
        }
        const out: Record<string, string> = {};
        answer.headers.forEach((value, name) => {
          if (!['connection', 'transfer-encoding', 'content-length', 'keep-alive'].includes(name)) out[name] = value;
        });
        response.writeHead(answer.status, out);
        response.end(body);
      })();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    proxied: () => proxied,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The browser's own process (not a renderer or helper) for a profile, found by its command line. */
async function browserPid(userDataDir: string): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const args = cmdline.split('\0');
    if (args.includes(`--user-data-dir=${userDataDir}`) && !args.some((a) => a.startsWith('--type='))) return Number(entry);
  }
  return undefined;
}

/** Spreads `total` events over `slots` steps: how many fall on step `i`. */
const share = (total: number, slots: number, i: number) => Math.floor(((i + 1) * total) / slots) - Math.floor((i * total) / slots);

export async function runSoak(plan: SoakPlan): Promise<SoakSummary> {
  const started = Date.now();
  const random = seededRandom(plan.seed ?? 20);
  const dataDir = await mkdtemp(join(tmpdir(), 'flagline-soak-desk-'));
  const userDataDir = await mkdtemp(join(tmpdir(), 'flagline-soak-profile-'));
  const flags = ['--data', dataDir];
  const channel = JSON.parse(
    runCli(['channel', 'create', '--name', 'Soak', ...flags])
      .stdout.trim()
      .split('\n')[0] ?? '{}',
  ) as { token: string };
  const deskPort = await freePort();
  let desk: DeskProcess = await serveDesk(flags, deskPort);
  const proxy = await faultyProxy(() => desk.url, plan.faultRate, random);
  let extension = await ExtensionHarness.launch({ extensionDir: E2E_CAPTURE_BUILD, userDataDir });
  const counts = { workerStops: 0, browserKills: 0, deskKills: 0 };
  const ids: string[] = [];

  const killDesk = async () => {
    desk.child.kill('SIGKILL');
    await desk.exited;
    counts.deskKills++;
    desk = await serveDesk(flags, deskPort);
  };
  const killBrowser = async () => {
    const pid = await browserPid(userDataDir);
    if (pid === undefined) throw new Error('the browser process was not found');
    const closed = new Promise((resolve) => extension.context.once('close', resolve));
    process.kill(pid, 'SIGKILL');
    await closed;
    counts.browserKills++;
    extension = await ExtensionHarness.launch({ extensionDir: E2E_CAPTURE_BUILD, userDataDir });
  };
  const stopWorker = async () => {
    await extension.stopServiceWorker();
    counts.workerStops++;
  };
  /** An extension page and a tab to report, opened again after each browser kill. */
  const surface = async (): Promise<{ options: Page; target: Page; tabId: number }> => {
    const target = await extension.context.newPage();
    await target.goto(`${plan.siteUrl}/article.html`);
    const tabId = await extension.tabIdOf(target);
    return { options: await extension.openOptions(), target, tabId };
  };

  try {
    await extension.setEndpoint(`${proxy.url}/v1/reports`, channel.token);
    // Enough steps that every kill falls on a step of its own.
    const steps = Math.max(10, plan.browserKills, plan.deskKills);
    const pageReports = plan.reports - plan.picked;
    for (let step = 0; step < steps; step++) {
      const { options, target, tabId } = await surface();
      ids.push(...(await submitFrom(options, tabId, share(pageReports, steps, step), `soak ${step}`)));
      await options.close();
      for (let i = 0; i < share(plan.picked, steps, step); i++) {
        await startPicker(extension, target);
        const form = await pickByClick(extension, target, target.locator('article'), { x: 2, y: 2 });
        await submitReport(form, { category: 'Rumor', explanation: `soak pick ${step}.${i}` });
        let picked: string[] = [];
        await expect
          .poll(async () => (picked = (await extension.records()).filter((r) => r.report.explanation === `soak pick ${step}.${i}`).map((r) => r.id)).length)
          .toBe(1);
        ids.push(...picked);
        await form.close();
      }
      for (let i = 0; i < share(plan.workerStops, steps + 1, step); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100 + random() * 300));
        await stopWorker();
      }
      for (let i = 0; i < share(plan.deskKills, steps, step); i++) await killDesk();
      if (share(plan.browserKills, steps, step) > 0) await killBrowser();
      else await target.close();
    }

    // Everything is submitted: wait until the extension shows each as delivered, stopping the
    // worker as planned meanwhile and waking it as a popup opening would (flushOutbox).
    const deadline = Date.now() + Math.max(120_000, plan.reports * 300);
    for (;;) {
      const records = await extension.records();
      if (records.length === ids.length && records.every((r) => r.status === 'sent')) break;
      if (Date.now() > deadline) break;
      if (counts.workerStops < plan.workerStops) await stopWorker();
      const page = await extension.openOptions();
      await page.evaluate(() => chrome.runtime.sendMessage({ type: 'flushOutbox', payload: {} }).catch(() => undefined));
      await page.close();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    while (counts.workerStops < plan.workerStops) await stopWorker();

    const records = await extension.records();
    const exported = runCli(['export', ...flags]);
    if (exported.status !== 0) throw new Error(`desk export failed: ${exported.stderr}`);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string; evidence: { verified: boolean; artifacts: unknown[] }; report: Record<string, unknown> });
    const perId = new Map<string, number>();
    for (const line of lines) perId.set(line.id, (perId.get(line.id) ?? 0) + 1);
    const byId = new Map(lines.map((line) => [line.id, line]));
    const strip = (report: unknown) => {
      const copy = JSON.parse(JSON.stringify(report)) as { evidence?: { artifacts: Array<Record<string, unknown>> } };
      for (const artifact of copy.evidence?.artifacts ?? []) delete artifact.dataBase64;
      return canonicalJson(copy);
    };
    const mine = new Map<string, ReportRecord>(records.map((r) => [r.id, r]));
    const summary: SoakSummary = {
      plan: {
        reports: plan.reports,
        picked: plan.picked,
        workerStops: plan.workerStops,
        browserKills: plan.browserKills,
        deskKills: plan.deskKills,
        faultRate: plan.faultRate,
      },
      sent: ids.length,
      acknowledged: ids.filter((id) => mine.get(id)?.status === 'sent').length,
      inDesk: ids.filter((id) => perId.has(id)).length,
      lost: ids.filter((id) => !perId.has(id)).length,
      doubled: [...perId.values()].filter((n) => n > 1).length,
      conflictingBodies: ids.filter((id) => byId.has(id) && mine.has(id) && strip(byId.get(id)!.report) !== strip(mine.get(id)!.report)).length,
      evidenceUnverified: lines.filter((line) => !line.evidence.verified).length,
      withEvidence: lines.filter((line) => line.evidence.artifacts.length > 0).length,
      ...counts,
      proxied: proxy.proxied(),
      faults: proxy.faults,
      durationMs: Date.now() - started,
    };
    return summary;
  } finally {
    await extension.close({ keepProfile: true }).catch(() => undefined);
    desk.child.kill('SIGKILL');
    await proxy.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(userDataDir, { recursive: true, force: true });
  }
}

/** What the soak must show: nothing lost, doubled or conflicting, and every report delivered. */
export function expectClean(summary: SoakSummary): void {
  expect(summary).toMatchObject({ lost: 0, doubled: 0, conflictingBodies: 0, evidenceUnverified: 0 });
  expect(summary.inDesk).toBe(summary.plan.reports);
  expect(summary.sent).toBe(summary.plan.reports);
  expect(summary.acknowledged).toBe(summary.plan.reports);
  expect(summary.withEvidence).toBeGreaterThanOrEqual(summary.plan.picked);
  expect(summary).toMatchObject({ workerStops: summary.plan.workerStops, browserKills: summary.plan.browserKills, deskKills: summary.plan.deskKills });
}
