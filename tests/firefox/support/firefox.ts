import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import type { BatchLease, ReportRecord } from '../../../utils/schema/record';
import { readStoreInPage, submitInPage } from '../../e2e/support/in-page';

/** The Firefox e2e build: production plus loopback host access (`npm run build:firefox-e2e`). */
export const FIREFOX_E2E_BUILD = resolve('.output/firefox-mv3-e2e');
/** The picker's build: production plus `<all_urls>` standing in for the activeTab grant (`build:firefox-e2e-capture`). */
export const FIREFOX_CAPTURE_BUILD = resolve('.output/firefox-mv3-e2e-capture');
export const FIREFOX_PRODUCTION_BUILD = resolve('.output/firefox-mv3');
export const ADDON_ID = 'flagline@flagline.app';

/** A Firefox: `FIREFOX_PATH`, else Debian's `firefox-esr`, else `firefox` on PATH. */
export function findFirefox(): string {
  if (process.env.FIREFOX_PATH) return process.env.FIREFOX_PATH;
  for (const name of ['firefox-esr', 'firefox']) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path && existsSync(path)) return path;
    } catch {
      // not on PATH
    }
  }
  throw new Error("No Firefox found: set FIREFOX_PATH or install Debian's firefox-esr (apt-get install firefox-esr)");
}

export interface FirefoxLaunchOptions {
  extensionDir?: string;
  /** The add-on id in the build's manifest (a policy test installs a copy under its own id). */
  addonId?: string;
  /** Reuse a profile (a browser restart); a fresh temporary one otherwise. */
  profileDir?: string;
  /** Browser UI language (`intl.locale.requested`), e.g. `zh-CN`. */
  locale?: string;
  prefs?: Record<string, unknown>;
}

/** The settings page's labels, in the two UI languages. */
export const SETTINGS_NAMES = {
  en: { endpoint: 'Endpoint URL', token: 'Access token', save: 'Save settings', saved: 'Settings saved.' },
  zh_CN: { endpoint: '举报接收地址', token: '访问令牌', save: '保存设置', saved: '设置已保存。' },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A real Firefox ESR, driven over WebDriver BiDi by puppeteer-core, with the extension installed as
 * a temporary add-on. BiDi may not navigate to `moz-extension://` pages, so every extension page is
 * opened from the tab the e2e build opens on install (utils/test-entry.ts), through the
 * extension's own `tabs` API: the same origin, the same pages a user gets.
 */
export class FirefoxHarness {
  private constructor(
    readonly browser: Browser,
    readonly uuid: string,
    readonly profileDir: string,
    private readonly ownsProfile: boolean,
    private entryPage: Page,
  ) {}

  static async launch(options: FirefoxLaunchOptions = {}): Promise<FirefoxHarness> {
    const profileDir = options.profileDir ?? (await mkdtemp(join(tmpdir(), 'flagline-ff-')));
    const uuid = crypto.randomUUID();
    const addonId = options.addonId ?? ADDON_ID;
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: findFirefox(),
      headless: true,
      userDataDir: profileDir,
      extraPrefsFirefox: {
        'xpinstall.signatures.required': false,
        // The extension's origin, moz-extension://<uuid>, fixed so tests know it in advance.
        'extensions.webextensions.uuids': JSON.stringify({ [addonId]: uuid }),
        ...(options.locale ? { 'intl.locale.requested': options.locale, 'intl.accept_languages': options.locale } : {}),
        ...options.prefs,
      },
    });
    try {
      const entry = FirefoxHarness.waitForPage(browser, `moz-extension://${uuid}/options.html?e2e-entry`);
      const installed = await browser.installExtension(options.extensionDir ?? FIREFOX_E2E_BUILD);
      if (installed !== addonId) throw new Error(`installed ${installed}, expected ${addonId}`);
      return new FirefoxHarness(browser, uuid, profileDir, options.profileDir === undefined, await entry);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  /** The page whose real address (BiDi may still say about:blank) starts with `prefix`. */
  static async waitForPage(browser: Browser, prefix: string, exclude: ReadonlySet<Page> = new Set(), timeoutMs = 15_000): Promise<Page> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const page of await browser.pages()) {
        if (exclude.has(page)) continue;
        const href = await page.evaluate(() => location.href).catch(() => '');
        if (href.startsWith(prefix)) return page;
      }
      await sleep(100);
    }
    throw new Error(`no page at ${prefix} within ${timeoutMs} ms`);
  }

  url(path: string): string {
    return `moz-extension://${this.uuid}/${path.replace(/^\//, '')}`;
  }

  /** An extension page to run extension code from (the install-time entry; reopened if closed). */
  async entry(): Promise<Page> {
    if (!this.entryPage.isClosed()) return this.entryPage;
    this.entryPage = await FirefoxHarness.waitForPage(this.browser, this.url('options.html?e2e-entry'));
    return this.entryPage;
  }

  /** Opens one of the extension's pages in a new tab, as the extension itself would. */
  async openExtensionPage(path: string): Promise<Page> {
    const entry = await this.entry();
    const before = new Set(await this.browser.pages());
    const url = this.url(path);
    await entry.evaluate((target) => void browser.tabs.create({ url: target }), url);
    const page = await FirefoxHarness.waitForPage(this.browser, url, before);
    await page.bringToFront();
    return page;
  }

  /** A new tab showing a web page. */
  async openWebPage(url: string): Promise<Page> {
    const page = await this.browser.newPage();
    await page.goto(url);
    return page;
  }

  /** The browser's tab id for a web page (the e2e build may read loopback tab URLs). */
  async tabIdOf(page: Page): Promise<number> {
    const url = page.url();
    const entry = await this.entry();
    const ids = await entry.evaluate(async (wanted) => (await browser.tabs.query({})).filter((t) => t.url === wanted).map((t) => t.id), url);
    if (ids.length !== 1 || typeof ids[0] !== 'number') throw new Error(`cannot tell which tab shows ${url}: ${JSON.stringify(ids)}`);
    return ids[0];
  }

  /** The popup's report form for a tab (`popup.html?tabId=N`, DESIGN.md testability). */
  async openPopup(target: Page | number): Promise<Page> {
    const tabId = typeof target === 'number' ? target : await this.tabIdOf(target);
    const popup = await this.openExtensionPage(`popup.html?tabId=${tabId}`);
    await liveFormOf(popup);
    return popup;
  }

  /** Points the extension at an endpoint through the settings page, as a user would (labels in `names`' language). */
  async setEndpoint(endpoint: string, token = '', names = SETTINGS_NAMES.en): Promise<void> {
    const page = await this.openExtensionPage('options.html');
    await fill(page, names.endpoint, endpoint);
    await fill(page, names.token, token);
    await clickButton(page, names.save);
    await waitForText(page, names.saved);
    await page.close();
  }

  /** Submits reports through the popup's message path (`submitReport`), from an extension page. */
  async submitMany(tabId: number, count: number, label: string): Promise<string[]> {
    return (await this.entry()).evaluate(submitInPage, { tabId, count, label });
  }

  /**
   * Reloads the add-on (`runtime.reload()`): the background page starts afresh, every extension
   * page closes, the database stays. Resolves once the e2e build's entry page is back.
   */
  async reloadExtension(): Promise<void> {
    const entry = await this.entry();
    const before = new Set(await this.browser.pages());
    before.delete(entry);
    await entry.evaluate(() => void setTimeout(() => browser.runtime.reload(), 0)).catch(() => undefined);
    const deadline = Date.now() + 15_000;
    while (!entry.isClosed() && Date.now() < deadline) {
      const gone = await entry.evaluate(() => false).catch(() => true);
      if (gone) break;
      await sleep(50);
    }
    this.entryPage = await FirefoxHarness.waitForPage(this.browser, this.url('options.html?e2e-entry'), before);
  }

  /** Every row of a store of the extension's database, read from an extension page. */
  async rows(store: string): Promise<unknown[]> {
    return (await this.entry()).evaluate(readStoreInPage, store);
  }

  async records(): Promise<ReportRecord[]> {
    return (await this.rows('reports')) as ReportRecord[];
  }

  async leases(): Promise<BatchLease[]> {
    return (await this.rows('leases')) as BatchLease[];
  }

  async close({ keepProfile = false } = {}): Promise<void> {
    await this.browser.close().catch(() => undefined);
    if (this.ownsProfile && !keepProfile) await rm(this.profileDir, { recursive: true, force: true });
  }
}

declare const browser: typeof import('wxt/browser').browser;

/**
 * The form control whose label reads exactly `name` (its accessible name in our pages, which
 * label every control with a `<label for>`), or a button with that text.
 */
export async function control(page: Page, name: string, timeoutMs = 15_000): Promise<ElementHandle<Element>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // No named helpers inside: tsx (esbuild keepNames) would reference a `__name` the page lacks.
    const handle = await page.evaluateHandle((wanted) => {
      for (const label of document.querySelectorAll('label')) {
        if ((label.textContent ?? '').replace(/\s+/g, ' ').trim() === wanted && label.control) return label.control;
      }
      for (const el of document.querySelectorAll('[aria-label]')) if (el.getAttribute('aria-label') === wanted) return el;
      for (const button of document.querySelectorAll('button')) {
        if ((button.textContent ?? '').replace(/\s+/g, ' ').trim() === wanted) return button;
      }
      return null;
    }, name);
    const element = handle.asElement();
    if (element) return element as ElementHandle<Element>;
    await handle.dispose();
    await sleep(100);
  }
  throw new Error(`no control named "${name}" on ${page.url()}`);
}

export async function fill(page: Page, name: string, value: string): Promise<void> {
  const field = await control(page, name);
  await field.evaluate((el) => {
    (el as HTMLInputElement).select?.();
  });
  await field.click({ count: 3 });
  await page.keyboard.press('Backspace');
  if (value) await field.type(value);
}

export async function clickButton(page: Page, name: string): Promise<void> {
  await (await control(page, name)).click();
}

export async function check(page: Page, name: string): Promise<void> {
  const box = await control(page, name);
  if (!(await box.evaluate((el) => (el as HTMLInputElement).checked))) await box.click();
}

/** Waits until the page's visible text contains `text` (or matches it). */
export async function waitForText(page: Page, text: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let body = '';
  while (Date.now() < deadline) {
    body = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    if (typeof text === 'string' ? body.includes(text) : text.test(body)) return body;
    await sleep(100);
  }
  throw new Error(`"${String(text)}" not shown on ${page.url()} within ${timeoutMs} ms; it shows:\n${body.slice(0, 1500)}`);
}

/**
 * Fills and submits the popup's report form, as a user would. A profile's first report ticks the
 * good-faith statement; after that it stands, shown beside Submit (docs/good-faith.md).
 */
/**
 * Waits until the popup's first screen (built into popup.html) has given way to the live popup.
 * Puppeteer's element handles do not follow the swap, and the first screen shows the standing
 * good-faith statement until the live popup shows which of the two this profile needs. A page
 * without a first screen (the report window) passes at once.
 */
async function liveFormOf(page: Page): Promise<void> {
  await page.waitForFunction(() => !window.flaglineFirstScreen || performance.getEntriesByName('flagline:live').length > 0);
}

export async function submitReport(popup: Page, choice: { category: string; reason?: string; explanation?: string }): Promise<void> {
  await waitForText(popup, 'Submit report');
  await liveFormOf(popup);
  await check(popup, choice.category);
  // Sub-reasons are chips: radios named by their label.
  if (choice.reason) await check(popup, choice.reason);
  if (choice.explanation) await fill(popup, 'Explanation', choice.explanation);
  const goodFaith = await goodFaithLabel(popup);
  if (goodFaith) await check(popup, goodFaith);
  else await waitForText(popup, /By submitting you confirm, as you did before on this device|提交即表示您确认/);
  await clickButton(popup, 'Submit report');
}

async function goodFaithLabel(popup: Page): Promise<string> {
  return popup.evaluate(() => (document.querySelector('label[for="good-faith"]')?.textContent ?? '').replace(/\s+/g, ' ').trim());
}
