import { expect, type Locator, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { ExtensionHarness } from './extension';
import { test as base } from './fixtures';

/**
 * The build the picker specs load: the production manifest plus `<all_urls>` standing in for
 * the user's activeTab grant, which automation cannot give and without which
 * `tabs.captureVisibleTab` refuses (wxt.config.ts explains; manifest.spec.ts checks it).
 */
export const E2E_CAPTURE_BUILD = resolve('.output/chrome-mv3-e2e-capture');

export const test = base.extend({
  extension: async ({ receiver }, use) => {
    const extension = await ExtensionHarness.launch({ extensionDir: E2E_CAPTURE_BUILD });
    await extension.setEndpoint(receiver.endpoint);
    await use(extension);
    await extension.close();
  },
});
export { expect };

/**
 * Driving the real picker. Automation cannot press the toolbar button, a command key or a
 * context-menu item (those grant `activeTab`), so tests use the popup's `Select on page` button
 * from `popup.html?tabId=N`: it runs the same `startPicker` path, and the capture build's host
 * permission stands in for the activeTab grant.
 */
export async function startPicker(extension: ExtensionHarness, page: Page): Promise<void> {
  const popup = await extension.openPopup(page);
  await popup.getByRole('button', { name: 'Select on page' }).click();
  await expect(page.locator('flagline-picker')).toHaveCount(1);
  await popup.close();
  await page.bringToFront();
}

/** The report window the background opens after a pick. */
export function nextReportWindow(extension: ExtensionHarness): Promise<Page> {
  return extension.context.waitForEvent('page', { predicate: (p) => p.url().includes('/report.html'), timeout: 20_000 });
}

/**
 * The report window shows the evidence as one line (issue 19); this expands it to the full
 * preview (what was captured, each artifact's checkbox, hashes, redaction).
 */
export async function showEvidence(form: Page): Promise<void> {
  const toggle = form.locator('#evidence-summary-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}

/** Hovers a point inside `locator` (default: 4 px in from its top-left corner). */
export async function hover(page: Page, locator: Locator, at = { x: 4, y: 4 }): Promise<void> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not visible');
  await page.mouse.move(box.x + at.x, box.y + at.y, { steps: 2 });
}

/**
 * Opens tests/fixtures/article.html, starts the picker and hovers a paragraph (the highlight is
 * its post, the article); walks in to the paragraph and back out to the article with the keyboard
 * and picks with Enter; resolves with the page and the report window.
 */
export async function pickArticleByKeyboard(extension: ExtensionHarness, siteUrl: string): Promise<{ page: Page; form: Page }> {
  const page = await extension.context.newPage();
  await page.goto(`${siteUrl}/article.html`);
  await startPicker(extension, page);
  await hover(page, page.locator('article p').nth(1));
  const formOpened = nextReportWindow(extension);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  return { page, form: await formOpened };
}

/** Hovers and clicks `locator`; resolves with the report window. */
export async function pickByClick(extension: ExtensionHarness, page: Page, locator: Locator, at?: { x: number; y: number }): Promise<Page> {
  const form = nextReportWindow(extension);
  await hover(page, locator, at);
  const box = (await locator.boundingBox())!;
  await page.mouse.click(box.x + (at?.x ?? 4), box.y + (at?.y ?? 4));
  return form;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(base64: string): { width: number; height: number } {
  const bytes = Buffer.from(base64, 'base64');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Rows of one object store of the extension's IndexedDB, read from an extension page. */
export async function storeRows(extension: ExtensionHarness, store: string): Promise<unknown[]> {
  const page = await extension.context.newPage();
  await page.goto(extension.url('options.html'));
  const rows = await page.evaluate(
    (name) =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('flagline');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB request failed'));
        open.onsuccess = () => {
          const request = open.result.transaction(name).objectStore(name).getAll();
          request.onsuccess = () =>
            resolve(
              request.result.map((row: Record<string, unknown>) => ({
                ...row,
                // Bytes as their length, so rows travel back as plain JSON.
                ...(row.bytes instanceof Uint8Array ? { bytes: row.bytes.length } : {}),
              })),
            );
          request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
        };
      }),
    store,
  );
  await page.close();
  return rows;
}
