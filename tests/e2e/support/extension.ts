import { chromium, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromiumArgs, findChromium } from '../../../scripts/chromium';
import type { BatchLease, ReportRecord, StatusEntry, StoredStatusRow } from '../../../utils/schema/record';
import { entriesFromRows } from '../../../utils/status/columns';
import { readStoreInPage } from './in-page';

export const E2E_BUILD = resolve('.output/chrome-mv3-e2e');
export const PRODUCTION_BUILD = resolve('.output/chrome-mv3');

export interface LaunchOptions {
  /** Reuse a profile (to test a browser restart); a fresh temporary one otherwise. */
  userDataDir?: string;
  /** Browser UI language, e.g. `zh-CN`. */
  locale?: string;
  extensionDir?: string;
  /** A specific Chromium binary (policy tests need Debian's, which reads /etc/chromium/policies). */
  executablePath?: string;
}

/**
 * A real Chromium with the built extension loaded, and helpers to drive it the way a user
 * would: open the popup for a tab, use the settings page, stop the service worker.
 */
export class ExtensionHarness {
  private readonly staleWorkers = new Set<Worker>();

  private constructor(
    readonly context: BrowserContext,
    readonly id: string,
    readonly userDataDir: string,
    private readonly ownsProfile: boolean,
  ) {}

  static async launch(options: LaunchOptions = {}): Promise<ExtensionHarness> {
    const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'flagline-e2e-')));
    const extensionDir = options.extensionDir ?? E2E_BUILD;
    const locale = options.locale ?? 'en-US';
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: options.executablePath ?? findChromium().path,
      headless: true,
      locale,
      args: [...chromiumArgs(extensionDir), `--lang=${locale}`],
      // Chromium on Linux takes its UI language from the environment.
      env: { ...process.env, LANGUAGE: locale.replace('-', '_'), LANG: `${locale.replace('-', '_')}.UTF-8` },
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    const id = new URL(worker.url()).host;
    return new ExtensionHarness(context, id, userDataDir, options.userDataDir === undefined);
  }

  url(path: string): string {
    return `chrome-extension://${this.id}/${path}`;
  }

  /** The current service worker; after a restart the old handle is stale, so look it up again. */
  async worker(): Promise<Worker> {
    const current = this.context.serviceWorkers().find((w) => w.url().startsWith(this.url('')) && !this.staleWorkers.has(w));
    if (current) return current;
    // A stopped worker starts again when an extension page messages the background.
    const announced = this.context.waitForEvent('serviceworker', { timeout: 15_000 });
    const page = await this.context.newPage();
    await page.goto(this.url('options.html'));
    await page.evaluate(() => chrome.runtime.sendMessage({ type: 'flushOutbox', payload: {} }).catch(() => undefined));
    // Chromium 156 with Playwright 1.65 keeps the worker's handle across a restart instead of
    // announcing a new worker: a remembered handle that answers again is the live one.
    let settled = false;
    const reused = async (): Promise<Worker> => {
      const deadline = Date.now() + 15_000;
      while (!settled && Date.now() < deadline) {
        for (const worker of this.staleWorkers) {
          const answers = await Promise.race([worker.evaluate(() => true).catch(() => false), new Promise<false>((r) => setTimeout(() => r(false), 500))]);
          if (answers) {
            this.staleWorkers.delete(worker);
            return worker;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('no service worker answered after waking it');
    };
    try {
      return await Promise.any([announced, reused()]);
    } finally {
      settled = true;
      await page.close();
    }
  }

  /**
   * The browser's id for a page's tab. The e2e build may read loopback tab URLs; for other pages
   * (browser pages, say) the tab is found as the active one after bringing it to the front.
   */
  async tabIdOf(page: Page): Promise<number> {
    const url = page.url();
    await page.bringToFront();
    const worker = await this.worker();
    const tabs = await worker.evaluate(async () => {
      const all = await chrome.tabs.query({});
      const [active] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
      return { all: all.map((t) => ({ id: t.id, url: t.url })), activeId: active?.id };
    });
    const byUrl = tabs.all.filter((t) => t.url === url);
    const id = byUrl.length === 1 ? byUrl[0]?.id : byUrl.length === 0 ? tabs.activeId : undefined;
    if (id === undefined) throw new Error(`cannot tell which tab shows ${url}: ${JSON.stringify(tabs)}`);
    return id;
  }

  /** The popup for a tab, opened as a page (`popup.html?tabId=N`, DESIGN.md testability). */
  async openPopup(target: Page | number): Promise<Page> {
    const tabId = typeof target === 'number' ? target : await this.tabIdOf(target);
    const popup = await this.context.newPage();
    await popup.goto(this.url(`popup.html?tabId=${tabId}`));
    return popup;
  }

  async openOptions(): Promise<Page> {
    const page = await this.context.newPage();
    await page.goto(this.url('options.html'));
    return page;
  }

  /** Points the extension at an endpoint through the settings page, as a user would. */
  async setEndpoint(endpoint: string, token = ''): Promise<void> {
    const page = await this.openOptions();
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(endpoint);
    await page.getByLabel('Access token', { exact: true }).fill(token);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    await page.close();
  }

  /**
   * Stops the extension's service worker through CDP, as Chromium does to an idle or stuck
   * worker, and waits until it has really stopped. Playwright keeps listing the dead worker, so
   * its handle is remembered as stale.
   */
  async stopServiceWorker(): Promise<void> {
    for (const worker of this.context.serviceWorkers()) this.staleWorkers.add(worker);
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    const cdp = await this.context.newCDPSession(page);
    const scriptUrl = this.url('background.js');
    const stopped = new Promise<void>((resolve) => {
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        if (versions.some((v) => v.scriptURL === scriptUrl && v.runningStatus === 'stopped')) resolve();
      });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;
    await cdp.detach();
  }

  /** The outbox as stored in the extension's IndexedDB, read from an extension page. */
  async records(): Promise<ReportRecord[]> {
    return (await this.rows('reports')) as ReportRecord[];
  }

  /** The status book's entries (token, schedule, review) by report id (utils/status/book.ts). */
  async statusEntries(): Promise<Map<string, StatusEntry>> {
    return entriesFromRows((await this.rows('statusPages')) as StoredStatusRow[]);
  }

  /** Batch leases: requests in flight (or left by a dead worker), one row per batch. */
  async leases(): Promise<BatchLease[]> {
    return (await this.rows('leases')) as BatchLease[];
  }

  /** Every row of one store of the extension's database, read from an extension page. */
  private async rows(store: string): Promise<unknown[]> {
    const page = await this.context.newPage();
    await page.goto(this.url('options.html'));
    const rows = await page.evaluate(readStoreInPage, store);
    await page.close();
    return rows;
  }

  async close({ keepProfile = false } = {}): Promise<void> {
    await this.context.close();
    if (this.ownsProfile && !keepProfile) await rm(this.userDataDir, { recursive: true, force: true });
  }
}

/**
 * Fills and submits the popup's report form. The good-faith statement is ticked on a profile's
 * first report; after that it stands (docs/good-faith.md) and the form shows it as a line beside
 * Submit instead — one of the two is always there.
 */
export async function submitReport(popup: Page, choice: { category: string; reason?: string; explanation?: string }) {
  // The popup's first screen (built into popup.html) shows the standing statement until the live
  // popup, drawn from the background's answer, shows which of the two this profile needs.
  await popup.waitForFunction(() => !window.flaglineFirstScreen || performance.getEntriesByName('flagline:live').length > 0);
  await popup.getByRole('radio', { name: choice.category }).check();
  if (choice.reason) await popup.getByRole('radio', { name: choice.reason }).check();
  if (choice.explanation) await popup.getByRole('textbox', { name: 'Explanation' }).fill(choice.explanation);
  const tick = popup.getByRole('checkbox', { name: /good faith/ });
  await expect(tick.or(popup.getByText(/By submitting you confirm/))).toBeVisible();
  if (await tick.isVisible()) await tick.check();
  await popup.getByRole('button', { name: 'Submit report' }).click();
}
