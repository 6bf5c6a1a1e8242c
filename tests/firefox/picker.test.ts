import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { clickButton, control, FIREFOX_CAPTURE_BUILD, FirefoxHarness, submitReport, waitForText } from './support/firefox';
import { useFirefox } from './support/suite';

/**
 * The picker in Firefox: injected with `scripting.executeScript`, screenshots with
 * `tabs.captureVisibleTab`, the report form in a window the background opens. The capture build's
 * `<all_urls>` stands in for the activeTab grant automation cannot give (as in Chromium).
 */
describe('Firefox: picking a post and capturing verifiable evidence', () => {
  const suite = useFirefox({ extensionDir: FIREFOX_CAPTURE_BUILD });

  /** `Select on page` in the popup for `page`; resolves once the overlay is in the page. */
  async function startPicker(page: Page): Promise<void> {
    const { firefox } = suite;
    const popup = await firefox.openPopup(page);
    await clickButton(popup, 'Select on page');
    await page.waitForSelector('flagline-picker', { timeout: 15_000 });
    await popup.close();
    await page.bringToFront();
  }

  test('keyboard pick of an article: selectors find it again, screenshots and every hash verify at the receiver', async () => {
    const { firefox, receiver, site } = suite;
    const page = await firefox.openWebPage(`${site.url}/article.html`);
    await startPicker(page);
    const before = new Set(await firefox.browser.pages());
    const paragraph = (await page.$$('article p'))[1]!;
    const box = (await paragraph.boundingBox())!;
    await page.mouse.move(box.x + 4, box.y + 4, { steps: 2 });
    // The picker outlines what is under the pointer on the next animation frame; a user's key
    // press comes later than puppeteer's, so let two frames pass.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    // The first highlight is the post (the article); ↓ walks in to the paragraph, ↑ back out.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const form = await FirefoxHarness.waitForPage(firefox.browser, firefox.url('report.html'), before, 20_000);
    assert.equal(await page.$('flagline-picker'), null, 'the overlay is gone after the pick');

    // The evidence is one line until expanded.
    await waitForText(form, /Evidence: 3 items/);
    await form.click('#evidence-summary-toggle');
    await waitForText(form, 'A part of the page');
    for (const name of ['Screenshot of the visible page', 'Screenshot of the part you picked', 'The text you picked']) {
      assert.equal(await (await control(form, name)).evaluate((el) => (el as HTMLInputElement).checked), true, name);
    }
    await submitReport(form, { category: 'Rumor', explanation: '伪科学' });
    const stored = await receiver.waitForReport();
    const { target, evidence } = stored.report;
    assert.equal(target.kind, 'element');
    assert.equal(target.tagName, 'article');
    assert.equal(target.url, `${site.url}/article.html`);
    assert.equal(target.title, '惊爆！专家称喝盐水可预防病毒 — 示例新闻');
    assert.equal(target.canonicalUrl, 'https://news.example.org/articles/salt-water');
    assert.ok(target.text?.includes('网传“每天喝三杯淡盐水可以预防所有病毒”'));

    const css = target.selectors?.find((s) => s.type === 'CssSelector') as { value: string };
    assert.deepEqual(await page.evaluate((sel) => [...document.querySelectorAll(sel)].map((e) => e === document.querySelector('article')), css.value), [true]);
    const quote = target.selectors?.find((s) => s.type === 'TextQuoteSelector') as { exact: string; prefix: string; suffix: string };
    const position = target.selectors?.find((s) => s.type === 'TextPositionSelector') as { start: number; end: number };
    assert.ok(quote.exact.length > 0 && position.end > position.start);

    // Every artifact's hash and the manifest hash verify at the receiver, from the bytes it got.
    assert.equal(stored.evidenceCheck?.ok, true, JSON.stringify(stored.evidenceCheck));
    assert.equal(stored.evidenceCheck?.manifestOk, true);
    assert.deepEqual(evidence?.artifacts.map((a) => a.name).sort(), ['element.png', 'text.txt', 'viewport.png']);
    const viewport = evidence.artifacts.find((a) => a.name === 'viewport.png')!;
    const crop = evidence.artifacts.find((a) => a.name === 'element.png')!;
    const size = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
    };
    const dpr = target.devicePixelRatio!;
    assert.equal(size(viewport.dataBase64).width, Math.round(target.viewport!.width * dpr), 'Firefox screenshot is the viewport');
    assert.ok(Math.abs(size(crop.dataBase64).width - Math.round(target.box!.width * dpr)) <= 2, 'crop is the element box');
    assert.ok(Math.abs(size(crop.dataBase64).height - Math.round(target.box!.height * dpr)) <= 2);
  });

  test('selected text is picked as it is, with its quote and position', async () => {
    const { firefox, receiver, site } = suite;
    const page = await firefox.openWebPage(`${site.url}/article.html?case=selection`);
    const expected = await page.evaluate(() => {
      const p = document.querySelectorAll('article p')[1]!;
      const text = p.firstChild!;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, Math.min(12, text.textContent!.length));
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      return range.toString();
    });
    const before = new Set(await firefox.browser.pages());
    await startPicker(page);
    // The selection is offered; Enter confirms it (issue 20: never the pick without the user).
    await page.keyboard.press('Enter');
    const form = await FirefoxHarness.waitForPage(firefox.browser, firefox.url('report.html'), before, 20_000);
    await waitForText(form, /Evidence: \d items/);
    await form.click('#evidence-summary-toggle');
    await waitForText(form, expected);
    await submitReport(form, { category: 'Cyberviolence' });
    const stored = await receiver.waitForReport((r) => r.report.target.kind === 'selection');
    assert.equal(stored.report.target.text, expected);
    const quote = stored.report.target.selectors?.find((s) => s.type === 'TextQuoteSelector') as { exact: string };
    assert.equal(quote.exact, expected);
    assert.equal(stored.evidenceCheck?.ok, true);
  });

  test('a file on this computer: the popup says Firefox does not allow it (no advice about a switch Firefox lacks)', async () => {
    const { firefox } = suite;
    const page = await firefox.openWebPage(`file://${resolve('tests/fixtures/article.html')}`);
    const popup = await firefox.openPopup(page);
    await waitForText(popup, "This page can't be reported");
    await waitForText(popup, 'Firefox does not let extensions work on files on your computer');
    assert.equal(await popup.$('button[type="submit"]'), null, 'no report form');
  });
});
