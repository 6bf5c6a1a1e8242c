import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { startStaticServer, type StaticServer } from '../e2e/support/static-server';
import { FirefoxHarness } from './support/firefox';

/**
 * The context-menu ways in, in Firefox: a real right click opens Firefox's menu, and Firefox's
 * `contextMenus.onShown` (Firefox only) tells which of our items it shows. Choosing an item is
 * out of automation's reach (the menu is the browser's own UI, which WebDriver BiDi cannot click,
 * nor close: so each case gets a browser of its own), so this shows the items are registered and
 * offered for the right things, not what a click on them does.
 */
describe('Firefox: context-menu items', () => {
  let site: StaticServer;
  let firefox: FirefoxHarness | undefined;
  before(async () => {
    site = await startStaticServer(resolve('tests/fixtures'));
  });
  afterEach(async () => {
    await firefox?.close();
    firefox = undefined;
  });
  after(async () => {
    await site?.close();
  });

  /** Right-clicks the middle of `selector` on the feed page; answers the ids of our items Firefox showed. */
  async function itemsShownOn(selector: string, prepare?: (page: Page) => Promise<void>): Promise<string[]> {
    firefox = await FirefoxHarness.launch();
    const entry = await firefox.entry();
    await entry.evaluate(() => {
      const shown: string[][] = [];
      (window as unknown as { shown: string[][] }).shown = shown;
      const menus = browser.contextMenus as unknown as { onShown: { addListener(l: (info: { menuIds: Array<string | number> }) => void): void } };
      menus.onShown.addListener((info) => shown.push(info.menuIds.map(String)));
    });
    const page = await firefox.openWebPage(`${site.url}/feed.html`);
    await page.waitForSelector('article img');
    await prepare?.(page);
    const box = (await (await page.$(selector))!.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const [shown] = await entry.evaluate(() => (window as unknown as { shown: string[][] }).shown);
      if (shown) return shown;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no context menu shown on ${selector}`);
  }

  test('a link gets Report this link', async () => {
    assert.deepEqual(await itemsShownOn('article header a[href]'), ['flagline-report-link']);
  });

  test('an image gets Report this image', async () => {
    assert.deepEqual(await itemsShownOn('article img'), ['flagline-report-image']);
  });

  test('selected text gets Report selected text', async () => {
    const select = async (page: Page) =>
      void (await page.evaluate(() => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector('article p')!);
        getSelection()!.removeAllRanges();
        getSelection()!.addRange(range);
      }));
    assert.deepEqual(await itemsShownOn('article p', select), ['flagline-report-selection']);
  });

  test('the page gets Report this page', async () => {
    assert.deepEqual(await itemsShownOn('article p'), ['flagline-report-page']);
  });
});

declare const browser: typeof import('wxt/browser').browser;
