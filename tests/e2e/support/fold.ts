import { expect, type Locator, type Page } from '@playwright/test';

/** Chromium never makes an extension popup larger than this (CSS pixels at 100% zoom). */
export const POPUP_MAX = { width: 800, height: 600 };
/** The report window's inner size: utils/background/browser.ts opens it at 480×760 outside, less the window's title bar. */
export const REPORT_WINDOW_INNER = { width: 480, height: 700 };

/**
 * Sizes `page` the way Chromium sizes an extension popup: to its content's natural size, at most
 * 800×600 device-independent pixels, which at `zoom` (browser zoom, 1.25 for 125%) is 800/zoom ×
 * 600/zoom CSS pixels. Measured from the rendered page, so a taller form really gets a taller popup.
 */
export async function sizeLikePopup(page: Page, zoom: number): Promise<{ width: number; height: number }> {
  await page.setViewportSize({ width: Math.floor(POPUP_MAX.width / zoom), height: 4000 });
  const natural = await page.evaluate(() => {
    const root = document.body.firstElementChild as HTMLElement;
    const rect = root.getBoundingClientRect();
    return { width: Math.ceil(rect.width), height: Math.ceil(rect.bottom + parseFloat(getComputedStyle(document.body).marginBottom || '0')) };
  });
  const size = { width: Math.min(natural.width, Math.floor(POPUP_MAX.width / zoom)), height: Math.min(natural.height, Math.floor(POPUP_MAX.height / zoom)) };
  await page.setViewportSize(size);
  return size;
}

/** `target` lies wholly inside the viewport while the page is scrolled to its top. */
export async function expectInViewWithoutScrolling(page: Page, target: Locator): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const viewport = page.viewportSize()!;
  const box = await target.boundingBox();
  expect(box, 'the control is rendered').not.toBeNull();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
  // Not covered by anything else: the point at its centre is the control itself (or inside it).
  const hit = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!at && (at === el || el.contains(at));
  });
  expect(hit).toBe(true);
}
