import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { SHIPPED_CATALOGUE } from '../../../utils/handoff/catalogue';
import { BUILT_IN_CATEGORIES } from '../../../utils/categories';
import { buildReport } from '../../../utils/reports';
import type { ReportRecord } from '../../../utils/schema/record';
import { ExtensionHarness } from '../../../tests/e2e/support/extension';
import { POLICY_CHROMIUM, policyChromiumAvailable, preparePolicyBrowser } from '../../../tests/e2e/support/policy';
import { startStaticServer } from '../../../tests/e2e/support/static-server';
import { sample, type Figure } from '../harness';

/**
 * The hand-off (issue 16) against the loopback copy of 12377's form (tests/fixtures), offered by
 * a managed policy channel as in tests/e2e/handoff.spec.ts:
 * - `handoff.panelMs`: `Hand off to an official channel` pressed in the workspace → the companion
 *   is in Chrome's side panel (listed among the browser's pages);
 * - `handoff.readyMs`: the channel chosen in the companion → the form's tab has loaded and the
 *   companion shows the fields ready to copy.
 * Needs Debian's Chromium (managed policy); skipped without it.
 */
export async function measureHandoff(runs = 9): Promise<Figure[]> {
  if (!policyChromiumAvailable()) {
    console.warn(`handoff: skipped, needs ${POLICY_CHROMIUM}`);
    return [];
  }
  const site = await startStaticServer(resolve('tests/fixtures'));
  const formUrl = `${site.url}/official-form-12377.html`;
  const web = SHIPPED_CATALOGUE.channels.find((c) => c.id === 'cac-12377-web');
  const setup = preparePolicyBrowser({
    handoff: { only: [], channels: [{ ...web, id: 'bench-12377-web', name: { zh_CN: '12377 测试副本', en: '12377 test copy' }, formUrl }] },
  });
  const extension = await ExtensionHarness.launch({ extensionDir: setup.extensionDir, executablePath: POLICY_CHROMIUM });
  try {
    const record = await seed(extension);
    const workspace = await extension.context.newPage();
    await workspace.goto(extension.url('workspace.html'));
    await workspace.getByRole('button', { name: /^Details: / }).click();
    const panelUrl = extension.url(`handoff.html?reports=${record.id}`);

    const panel = await sample(runs, async () => {
      await closeSidePanel(workspace);
      const start = performance.now();
      await workspace.getByRole('button', { name: 'Hand off to an official channel' }).click();
      while (!(await sidePages(workspace)).includes(panelUrl)) await new Promise((r) => setTimeout(r, 5));
      return performance.now() - start;
    });

    const ready = await sample(runs, async () => {
      const companion = await extension.context.newPage();
      await companion.goto(panelUrl);
      const choose = companion.getByRole('button', { name: 'Use 12377 test copy' });
      await choose.waitFor();
      const start = performance.now();
      const opened = extension.context.waitForEvent('page', { predicate: (p) => p.url() === formUrl });
      await choose.click();
      const form = await opened;
      await Promise.all([form.waitForLoadState('domcontentloaded'), companion.getByRole('button', { name: 'Copy 举报网址' }).waitFor()]);
      const ms = performance.now() - start;
      await form.close();
      await companion.close();
      return ms;
    });
    return [
      { key: 'handoff.panelMs', unit: 'ms', runs: panel },
      { key: 'handoff.readyMs', unit: 'ms', runs: ready, target: '≤ 500 ms' },
    ];
  } finally {
    await extension.close();
    setup.remove();
    await site.close();
  }
}

async function seed(extension: ExtensionHarness): Promise<ReportRecord> {
  const now = Date.now();
  const report = buildReport(
    { tabId: 1, category: 'rumor', explanation: 'bench', goodFaith: true },
    { url: 'https://weibo.com/1/bench', title: 'bench' },
    { clock: () => now, newId: () => crypto.randomUUID(), categories: BUILT_IN_CATEGORIES, client: { version: '0.1.0', locale: 'en' } },
  );
  const record: ReportRecord = { id: report.id, report, status: 'held', createdAt: now, updatedAt: now, attempts: 0, nextAttemptAt: now };
  const page = await extension.openOptions();
  await page.evaluate(
    (row) =>
      new Promise<void>((done) => {
        const open = indexedDB.open('flagline');
        open.onsuccess = () => {
          const tx = open.result.transaction('reports', 'readwrite');
          tx.objectStore('reports').put(row);
          tx.oncomplete = () => done();
        };
      }),
    record,
  );
  await page.close();
  return record;
}

/** Pages the browser shows that are not the context's own: the side panel. */
async function sidePages(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const own = new Set(
      page
        .context()
        .pages()
        .map((p) => p.url()),
    );
    return targetInfos.filter((t) => t.type === 'page' && !own.has(t.url)).map((t) => t.url);
  } finally {
    await cdp.detach();
  }
}

/** Closes the side panel so the next run opens it afresh (Chrome 141+: `sidePanel.close`). */
async function closeSidePanel(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const { id } = await chrome.windows.getCurrent();
    const api = chrome.sidePanel as unknown as { close?: (options: { windowId: number }) => Promise<void> };
    await api.close?.({ windowId: id as number }).catch(() => undefined);
  });
  for (let i = 0; i < 200 && (await sidePages(page)).some((url) => url.includes('/handoff.html')); i++) await new Promise((r) => setTimeout(r, 10));
}
