import { startStaticServer } from './support/static-server';
import { resolve } from 'node:path';
import { submitReport } from './support/extension';
import { expect, hover, nextReportWindow, pickByClick, startPicker, test } from './support/picker';

test.describe('the picker on hard pages', () => {
  test('an element inside an open shadow root: the selector goes through the shadow host', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/shadow.html`);
    await startPicker(extension, page);
    const form = await pickByClick(extension, page, page.locator('comment-card .comment').first(), { x: 3, y: 3 });
    await submitReport(form, { category: 'Cyberviolence' });
    const { report } = await receiver.waitForReport();
    expect(report.target.text).toContain('You are worthless');
    const css = report.target.selectors?.find((s) => s.type === 'CssSelector') as { value: string; refinedBy?: { value: string } };
    expect(css.refinedBy).toBeDefined();
    // Resolve it again: host in the document, then the selector inside its shadow root.
    const found = await page.evaluate((sel) => {
      const hosts = [...document.querySelectorAll(sel.value)];
      const inner = hosts.flatMap((h) => [...(h.shadowRoot?.querySelectorAll(sel.refinedBy!.value) ?? [])]);
      return inner.map((el) => el === document.querySelector('comment-card')!.shadowRoot!.querySelector('.comment'));
    }, css);
    expect(found).toEqual([true]);
  });

  test('same-origin frame: picks inside it; cross-origin frame: picked as a whole with its address', async ({ extension, receiver, site }) => {
    const other = await startStaticServer(resolve('tests/fixtures'));
    try {
      const page = await extension.context.newPage();
      await page.goto(`${site.url}/frames.html?xo=${encodeURIComponent(other.url)}`);
      await page.frameLocator('#cross').locator('.reply').waitFor();
      await startPicker(extension, page);

      // Inside the same-origin frame.
      const inner = page.frameLocator('#same').locator('.reply');
      let form = await pickByClick(extension, page, inner, { x: 20, y: 10 });
      await submitReport(form, { category: 'Rumor' });
      let stored = await receiver.waitForReport();
      expect(stored.report.target).toMatchObject({ tagName: 'div', frameUrl: `${site.url}/frame-inner.html` });
      expect(stored.report.target.text).toContain('Inner frame reply');

      // The cross-origin frame, as a whole: entering it over its border outlines it, and the
      // outline then takes the click in the middle of the frame (the frame itself would swallow it).
      await startPicker(extension, page);
      const cross = page.locator('#cross');
      await hover(page, cross, { x: 1, y: 1 });
      const box = (await cross.boundingBox())!;
      const opened = nextReportWindow(extension);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      form = await opened;
      await submitReport(form, { category: 'Rumor' });
      stored = await receiver.waitForReport((r) => r.report.target.tagName === 'iframe');
      expect(stored.report.target).toMatchObject({ kind: 'element', tagName: 'iframe', iframeSrc: `${other.url}/frame-inner.html?cross` });
    } finally {
      await other.close();
    }
  });

  test('a page with a strict CSP still gets a styled overlay and a pick', async ({ extension, receiver }) => {
    const strict = await startStaticServer(resolve('tests/fixtures'), {
      '/csp.html': { 'Content-Security-Policy': "default-src 'none'; style-src 'none'; script-src 'none'; img-src 'none'" },
    });
    try {
      const page = await extension.context.newPage();
      await page.goto(`${strict.url}/csp.html`);
      await startPicker(extension, page);
      await hover(page, page.locator('#target'));
      // The overlay's outline is drawn (constructed stylesheet: not blocked by style-src).
      const styled = await page.evaluate(() => {
        const host = document.querySelector('flagline-picker') as HTMLElement;
        return getComputedStyle(host).position;
      });
      expect(styled).toBe('fixed');
      const form = nextReportWindow(extension);
      await page.keyboard.press('Enter');
      await submitReport(await form, { category: 'Rumor' });
      const stored = await receiver.waitForReport();
      expect(stored.report.target).toMatchObject({ kind: 'element', url: `${strict.url}/csp.html` });
      expect(stored.evidenceCheck?.ok).toBe(true);
      expect(stored.report.evidence?.artifacts.map((a) => a.name).sort()).toEqual(['element.png', 'text.txt', 'viewport.png']);
    } finally {
      await strict.close();
    }
  });

  test('an SVG shape and the 20,000-element page: the selector finds exactly the picked element', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/svg.html`);
    await startPicker(extension, page);
    let form = await pickByClick(extension, page, page.locator('circle').nth(45), { x: 10, y: 10 });
    await submitReport(form, { category: 'Rumor' });
    let { report } = await receiver.waitForReport();
    let css = report.target.selectors?.find((s) => s.type === 'CssSelector') as { value: string };
    expect(report.target.tagName).toBe('circle');
    expect(await page.evaluate((sel) => [...document.querySelectorAll(sel)].map((e) => e === document.querySelectorAll('circle')[45]), css.value)).toEqual([
      true,
    ]);

    await page.goto(`${site.url}/big.html`);
    expect(await page.evaluate(() => document.querySelectorAll('*').length)).toBeGreaterThan(20_000);
    await startPicker(extension, page);
    const cell = page.locator('.cell').nth(19 * 5 + 7);
    form = await pickByClick(extension, page, cell, { x: 5, y: 5 });
    await submitReport(form, { category: 'Rumor' });
    ({ report } = await receiver.waitForReport((r) => r.report.target.url.endsWith('/big.html')));
    css = report.target.selectors?.find((s) => s.type === 'CssSelector') as { value: string };
    expect(report.target.text).toBe(String(19 * 5 + 7));
    expect(await page.evaluate((sel) => [...document.querySelectorAll(sel)].map((e) => e.textContent), css.value)).toEqual([String(19 * 5 + 7)]);
  });
});
