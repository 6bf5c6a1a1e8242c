import { submitReport } from './support/extension';
import { expect, hover, nextReportWindow, pickByClick, showEvidence, startPicker, storeRows, test } from './support/picker';

type Row = { name: string; mediaType: string };

test.describe('hostile pages', () => {
  test('the page cannot forge a pick, read the overlay, click for the user or hear the keys', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/hostile.html`);
    // No externally_connectable: a page has no way to message the extension at all.
    expect(await page.evaluate((id) => (window as unknown as { __forge: (id: string) => Promise<string> }).__forge(id), extension.id)).not.toMatch(/^sent/);

    await startPicker(extension, page);
    // The overlay is in a closed shadow root: the page sees an empty host and no shadowRoot.
    const seen = await page.evaluate(() => (window as unknown as { __overlaySeen: unknown[] }).__overlaySeen);
    expect(seen).toContainEqual({ tag: 'flagline-picker', shadowRoot: null, html: '' });

    // Synthetic clicks are not the user's: nothing is picked.
    const early = nextReportWindow(extension).then(
      () => 'opened',
      () => 'none',
    );
    await page.evaluate(() => (window as unknown as { __fakeClick: () => void }).__fakeClick());
    expect(await Promise.race([early, new Promise((r) => setTimeout(() => r('none'), 1500))])).toBe('none');
    await expect(page.locator('flagline-picker')).toHaveCount(1);

    // Keys the picker handles do not reach the page's listeners.
    await hover(page, page.locator('#post h1, #post').first());
    const formOpened = nextReportWindow(extension);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const form = await formOpened;
    // What the user types goes into extension UI, never into the page.
    await form.getByRole('textbox', { name: 'Explanation' }).fill('secret words the page must not see');
    await submitReport(form, { category: 'Cyberviolence' });
    const stored = await receiver.waitForReport();
    expect(stored.report.explanation).toBe('secret words the page must not see');
    expect(await page.evaluate(() => (window as unknown as { __keys: string[] }).__keys)).toEqual([]);
    // The forged pick never became a report or a capture.
    expect(receiver.reports().map((r) => r.report.target.text)).not.toContain('FORGED');
    expect(await storeRows(extension, 'captures')).toEqual([]);
  });
});

test.describe('content a page tries to make unpickable (issue 20, finding 3)', () => {
  test('an element with a 5,000-character id, and text in srcdoc, about:blank and blob: frames, are picked and reported', async ({
    extension,
    receiver,
    site,
  }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/unpickable.html`);
    await page.frameLocator('#blob').locator('#in-blob').waitFor();
    await startPicker(extension, page);
    let form = await pickByClick(extension, page, page.locator('article'));
    await submitReport(form, { category: 'Rumor' });
    let stored = await receiver.waitForReport();
    const css = stored.report.target.selectors?.[0] as { type: string; value: string };
    expect(css.type).toBe('CssSelector');
    expect(css.value.length).toBeLessThanOrEqual(4000);
    expect(await page.evaluate((value) => document.querySelector(value)?.localName, css.value)).toBe('article');

    for (const [frame, text] of [
      ['#srcdoc', 'Text inside a srcdoc frame.'],
      ['#blank', 'Text inside an about:blank frame.'],
      ['#blob', 'Text inside a blob: frame.'],
    ] as const) {
      await startPicker(extension, page);
      form = await pickByClick(extension, page, page.frameLocator(frame).locator('p'), { x: 30, y: 25 });
      await submitReport(form, { category: 'Rumor' });
      stored = await receiver.waitForReport((r) => r.report.target.text === text);
      // A frame with no web address of its own: the tab's address stands for it.
      expect(stored.report.target.frameUrl).toBeUndefined();
      expect(stored.report.target.url).toBe(`${site.url}/unpickable.html`);
    }
  });
});

test.describe('page CSS and scripts against the overlay (issue 20, finding 7)', () => {
  test('cannot hide, move or remove the overlay; the pick still works', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/hostile-css.html`);
    await startPicker(extension, page);
    await page.waitForTimeout(300); // the page's script has had its go
    const style = await page.evaluate(() => {
      const host = document.querySelector('flagline-picker');
      if (!host) return null;
      const computed = getComputedStyle(host);
      const rect = host.getBoundingClientRect();
      return { display: computed.display, visibility: computed.visibility, opacity: computed.opacity, transform: computed.transform, x: rect.x, y: rect.y };
    });
    expect(style).toEqual({ display: 'block', visibility: 'visible', opacity: '1', transform: 'none', x: 0, y: 0 });
    const form = await pickByClick(extension, page, page.locator('#post'));
    await submitReport(form, { category: 'Rumor' });
    const { report } = await receiver.waitForReport();
    expect(report.target.text).toContain('try to hide or move any overlay');
  });
});

test.describe('abandoned picks (issue 20, finding 5)', () => {
  test('closing the report window unsent deletes the pick’s screenshots, crop and text', async ({ extension, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html`);
    await startPicker(extension, page);
    const form = await pickByClick(extension, page, page.locator('article'), { x: 2, y: 2 });
    await showEvidence(form);
    await expect(form.getByRole('checkbox', { name: 'Screenshot of the visible page' })).toBeVisible();
    expect(await storeRows(extension, 'captures')).toHaveLength(1);
    expect((await storeRows(extension, 'artifacts')).length).toBeGreaterThan(0);
    await form.close();
    await expect.poll(async () => [await storeRows(extension, 'captures'), await storeRows(extension, 'artifacts')], { timeout: 15_000 }).toEqual([[], []]);
  });
});

test.describe('evidence by category', () => {
  test('elements named like the picker state cannot stop it', async ({ extension, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/clobber.html`);
    await startPicker(extension, page);
    const form = await pickByClick(extension, page, page.locator('#post'));
    await showEvidence(form);
    await expect(form.getByText('Clobbering page')).toBeVisible();
  });

  test('child sexual exploitation chosen after the pick: the image bytes are deleted and never sent', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html`);
    await startPicker(extension, page);
    const form = await pickByClick(extension, page, page.locator('article'), { x: 2, y: 2 });
    await showEvidence(form);
    await expect(form.getByRole('checkbox', { name: 'Screenshot of the visible page' })).toBeVisible();
    expect(((await storeRows(extension, 'artifacts')) as Row[]).some((r) => r.mediaType === 'image/png')).toBe(true);

    await form.getByRole('radio', { name: 'Harmful to minors' }).check();
    await form.getByRole('radio', { name: 'Grooming or sexual exploitation of a child' }).check();
    await expect(form.getByText(/Do not save, download or share/)).toBeVisible();
    await expect(form.getByRole('img')).toHaveCount(0);
    await expect.poll(async () => ((await storeRows(extension, 'artifacts')) as Row[]).map((r) => r.mediaType)).toEqual(['text/plain;charset=utf-8']);

    await form.getByRole('checkbox', { name: /good faith/ }).check();
    await form.getByRole('button', { name: 'Submit report' }).click();
    const stored = await receiver.waitForReport();
    expect(stored.report.subReason).toBe('child_exploitation');
    expect(stored.report.evidence?.artifacts.map((a) => a.mediaType)).toEqual(['text/plain;charset=utf-8']);
    expect(stored.report.evidence?.unavailable).toEqual([
      { name: 'viewport.png', reason: 'category-policy' },
      { name: 'element.png', reason: 'category-policy' },
    ]);
    expect(JSON.stringify(stored.report)).not.toContain('iVBORw0KGgo'); // no PNG bytes anywhere
    expect(stored.evidenceCheck?.ok).toBe(true);
    expect(((await extension.records())[0]?.report.evidence?.artifacts ?? []).map((a) => a.mediaType)).toEqual(['text/plain;charset=utf-8']);
  });

  test('child sexual exploitation chosen before picking: no screenshot is ever taken', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html`);
    const popup = await extension.openPopup(page);
    await popup.getByRole('radio', { name: 'Harmful to minors' }).check();
    await popup.getByRole('radio', { name: 'Grooming or sexual exploitation of a child' }).check();
    await popup.getByRole('button', { name: 'Select on page' }).click();
    await expect(page.locator('flagline-picker')).toHaveCount(1);
    await page.bringToFront();
    const form = await pickByClick(extension, page, page.locator('article'), { x: 2, y: 2 });
    await expect(form.getByText(/Do not save, download or share/)).toBeVisible();
    expect(((await storeRows(extension, 'artifacts')) as Row[]).map((r) => r.name)).toEqual(['text.txt']);
    await submitReport(form, { category: 'Harmful to minors', reason: 'Grooming or sexual exploitation of a child' });
    const stored = await receiver.waitForReport();
    expect(stored.report.evidence?.artifacts.map((a) => a.name)).toEqual(['text.txt']);
  });

  test('harmful to minors: previews are blurred until the user reveals them; unticked artifacts are left out', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html`);
    await startPicker(extension, page);
    const form = await pickByClick(extension, page, page.locator('article'), { x: 2, y: 2 });
    await form.getByRole('radio', { name: 'Harmful to minors' }).check();
    await form.getByRole('radio', { name: 'Violence and gore' }).check();
    // The one-line summary's thumbnails are blurred too.
    for (const thumb of await form.locator('img.thumb').all()) await expect(thumb).toHaveClass(/blurred/);
    await showEvidence(form);
    const previews = form.locator('img.preview');
    await expect(previews).toHaveCount(2);
    for (const img of await previews.all()) await expect(img).toHaveClass(/blurred/);
    const reveal = form.getByRole('button', { name: 'Show preview' });
    await reveal.focus();
    await form.keyboard.press('Enter');
    for (const img of await previews.all()) await expect(img).not.toHaveClass(/blurred/);

    await form.getByRole('checkbox', { name: 'Screenshot of the visible page' }).uncheck();
    await form.getByRole('checkbox', { name: /good faith/ }).check();
    await form.getByRole('button', { name: 'Submit report' }).click();
    const stored = await receiver.waitForReport();
    expect(stored.report.evidence?.artifacts.map((a) => a.name).sort()).toEqual(['element.png', 'text.txt']);
    expect(stored.report.evidence?.unavailable).toEqual([{ name: 'viewport.png', reason: 'user-excluded' }]);
    expect(stored.evidenceCheck?.ok).toBe(true);
  });

  test('single-page site: the address at pick and at submit are both recorded', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/feed.html`);
    await startPicker(extension, page);
    const form = await pickByClick(extension, page, page.locator('article[data-post-id="2"]'), { x: 3, y: 60 });
    await page.evaluate(() => history.pushState(null, '', '/feed.html?page=2'));
    await submitReport(form, { category: 'Rumor' });
    const { report } = await receiver.waitForReport();
    expect(report.target).toMatchObject({
      url: `${site.url}/feed.html`,
      urlAtPick: `${site.url}/feed.html`,
      urlAtSubmit: `${site.url}/feed.html?page=2`,
    });
  });
});
