import { submitReport } from './support/extension';
import { expect, hover, nextReportWindow, pickArticleByKeyboard, pickByClick, pngSize, showEvidence, startPicker, storeRows, test } from './support/picker';

test.describe('picking a post and capturing verifiable evidence', () => {
  test('keyboard pick on an article: selector finds it again, quote re-anchors, screenshots and hashes verify at the receiver', async ({
    extension,
    receiver,
    site,
  }) => {
    // Hover a paragraph, move to its parent (the article) with the keyboard, pick with Enter.
    const { page, form } = await pickArticleByKeyboard(extension, site.url);
    await expect(page.locator('flagline-picker')).toHaveCount(0);

    // The form shows what was captured, as text, with its evidence (one line, expanded here).
    await expect(form.getByRole('button', { name: /Evidence: 3 items, verified/ })).toBeVisible();
    await showEvidence(form);
    await expect(form.getByText('A part of the page')).toBeVisible();
    await expect(form.getByText('惊爆！专家称喝盐水可预防病毒 — 示例新闻')).toBeVisible();
    await expect(form.getByRole('checkbox', { name: 'Screenshot of the visible page' })).toBeChecked();
    await expect(form.getByRole('checkbox', { name: 'Screenshot of the part you picked' })).toBeChecked();
    await expect(form.getByRole('checkbox', { name: 'The text you picked' })).toBeChecked();
    // Captured before the form opened: the capture is in IndexedDB with its bytes.
    expect((await storeRows(extension, 'artifacts')).map((r) => (r as { name: string }).name).sort()).toEqual(['element.png', 'text.txt', 'viewport.png']);

    await submitReport(form, { category: 'Rumor', explanation: '伪科学' });
    const stored = await receiver.waitForReport();
    const { target, evidence } = stored.report;
    expect(target).toMatchObject({
      kind: 'element',
      tagName: 'article',
      url: `${site.url}/article.html`,
      title: '惊爆！专家称喝盐水可预防病毒 — 示例新闻',
      canonicalUrl: 'https://news.example.org/articles/salt-water',
      lang: 'zh-CN',
      textTruncated: false,
    });
    expect(target.text).toContain('网传“每天喝三杯淡盐水可以预防所有病毒”');
    expect(target.viewport?.width).toBeGreaterThan(0);
    expect(target.devicePixelRatio).toBeGreaterThan(0);

    // The CSS selector finds exactly the picked element again; the quote re-anchors.
    const css = target.selectors?.find((s) => s.type === 'CssSelector') as { value: string };
    const quote = target.selectors?.find((s) => s.type === 'TextQuoteSelector') as { exact: string; prefix: string; suffix: string };
    const position = target.selectors?.find((s) => s.type === 'TextPositionSelector') as { start: number; end: number };
    expect(await page.evaluate((sel) => [...document.querySelectorAll(sel)].map((e) => e === document.querySelector('article')), css.value)).toEqual([true]);
    expect(
      await page.evaluate(
        ({ quote, position }) => {
          const all = document.body.textContent ?? '';
          return {
            slice: all.slice(position.start, position.end) === quote.exact,
            anchored: all.indexOf(quote.prefix + quote.exact + quote.suffix) + quote.prefix.length,
          };
        },
        { quote, position },
      ),
    ).toEqual({ slice: true, anchored: position.start });

    // Every hash verifies at the receiver; the crop is the element's box × device pixel ratio.
    expect(stored.evidenceCheck).toMatchObject({ ok: true, manifestOk: true });
    expect(evidence?.artifacts.map((a) => a.name).sort()).toEqual(['element.png', 'text.txt', 'viewport.png']);
    const crop = evidence!.artifacts.find((a) => a.name === 'element.png')!;
    const viewport = evidence!.artifacts.find((a) => a.name === 'viewport.png')!;
    const dpr = target.devicePixelRatio!;
    expect(Math.abs(pngSize(crop.dataBase64).width - Math.round(target.box!.width * dpr))).toBeLessThanOrEqual(2);
    expect(Math.abs(pngSize(crop.dataBase64).height - Math.round(target.box!.height * dpr))).toBeLessThanOrEqual(2);
    expect(pngSize(viewport.dataBase64).width).toBe(Math.round(target.viewport!.width * dpr));
    // The capture moved into the report: nothing left behind.
    expect(await storeRows(extension, 'captures')).toEqual([]);
    expect(await storeRows(extension, 'artifacts')).toEqual([]);
  });

  test('a feed post is captured at pick time with its permalink, even after the feed unmounts it', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/feed.html`);
    await startPicker(extension, page);
    const post = page.locator('article[data-post-id="3"]');
    const form = await pickByClick(extension, page, post, { x: 3, y: 60 });
    // The feed scrolls on and unmounts the post before the user submits.
    await page.evaluate(async () => {
      for (let i = 0; i < 40; i++) {
        window.scrollBy(0, 400);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    await expect(page.locator('article[data-post-id="3"]')).toHaveCount(0);
    await submitReport(form, { category: 'Rumor' });
    const { report } = await receiver.waitForReport();
    expect(report.target.text).toContain('紧急扩散！喝盐水可以预防所有病毒');
    expect(report.target.permalink).toBe(`${site.url}/status/1003`);
    expect(report.target.links).toEqual([`${site.url}/u/user3`, `${site.url}/status/1003`]);
    expect(report.target.media).toEqual([{ type: 'image', url: `${site.url}/pixel.svg` }]);
    expect((report.target.selectors?.[0] as { value: string }).value).toBeTruthy();
  });

  test('an existing, visible text selection is offered, and is the pick once the user presses Enter', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html`);
    await page.evaluate(() => {
      const p = document.querySelectorAll('article p')[1]!;
      const text = p.firstChild as Text;
      const range = document.createRange();
      const phrase = '每天喝三杯淡盐水可以预防所有病毒';
      range.setStart(text, text.data.indexOf(phrase));
      range.setEnd(text, text.data.indexOf(phrase) + phrase.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    await startPicker(extension, page);
    // Offered, not taken: the picker stays until the user confirms.
    await expect(page.locator('flagline-picker')).toHaveCount(1);
    expect(extension.context.pages().some((p) => p.url().includes('/report.html'))).toBe(false);
    const formOpened = nextReportWindow(extension);
    await page.keyboard.press('Enter');
    const form = await formOpened;
    await showEvidence(form);
    await expect(form.getByText('Selected text')).toBeVisible();
    await submitReport(form, { category: 'Rumor' });
    const { report } = await receiver.waitForReport();
    expect(report.target).toMatchObject({ kind: 'selection', text: '每天喝三杯淡盐水可以预防所有病毒' });
    const quote = report.target.selectors?.find((s) => s.type === 'TextQuoteSelector') as { exact: string; prefix: string; suffix: string };
    expect(quote.exact).toBe('每天喝三杯淡盐水可以预防所有病毒');
    expect(await page.evaluate((q) => (document.body.textContent ?? '').includes(q.prefix + q.exact + q.suffix), quote)).toBe(true);
  });

  test('a selection the page made where the user cannot see it is not offered: Enter picks nothing, a click picks what it hits', async ({
    extension,
    receiver,
    site,
  }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html`);
    await page.evaluate(() => {
      const hidden = document.createElement('p');
      hidden.textContent = 'HIDDEN TEXT THE PAGE WANTS REPORTED';
      hidden.style.cssText = 'position:absolute;top:-5000px';
      document.body.append(hidden);
      const range = document.createRange();
      range.selectNodeContents(hidden);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    await startPicker(extension, page);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1000);
    expect(extension.context.pages().some((p) => p.url().includes('/report.html'))).toBe(false);
    const form = await pickByClick(extension, page, page.locator('article h1'));
    await submitReport(form, { category: 'Rumor' });
    const { report } = await receiver.waitForReport();
    expect(report.target.kind).toBe('element');
    expect(report.target.text).not.toContain('HIDDEN TEXT');
  });

  test('Esc cancels and removes the overlay; clicking afterwards picks nothing', async ({ extension, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html`);
    await startPicker(extension, page);
    await hover(page, page.locator('article h1'));
    await page.keyboard.press('Escape');
    await expect(page.locator('flagline-picker')).toHaveCount(0);
    // Clicking afterwards picks nothing: no report window opens.
    const opened = nextReportWindow(extension).then(
      () => true,
      () => false,
    );
    await page.locator('article h1').click();
    expect(await Promise.race([opened, new Promise((r) => setTimeout(() => r(false), 1500))])).toBe(false);
  });
});
