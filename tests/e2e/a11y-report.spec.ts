import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { ExtensionHarness } from './support/extension';
import { expectInViewWithoutScrolling, REPORT_WINDOW_INNER } from './support/fold';
import { E2E_CAPTURE_BUILD, expect, pickByClick, showEvidence, test } from './support/picker';

/**
 * The report window (report.html, opened after a pick, with a preview of each captured artifact
 * and a checkbox to leave it out) in English and in Chinese: axe-core finds nothing, and it works
 * with the keyboard alone. Uses the capture build (tests/e2e/support/picker.ts explains why).
 */

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const LOCALES = {
  'en-US': {
    endpoint: 'Endpoint URL',
    save: 'Save settings',
    saved: 'Settings saved.',
    selectOnPage: 'Select on page',
    title: 'Report what you picked',
    viewport: 'Screenshot of the visible page',
    element: 'Screenshot of the part you picked',
    text: 'The text you picked',
    harmful: 'Harmful to minors',
    showPreview: 'Show preview',
    submit: 'Submit report',
    redact: 'Redact',
    redactHeading: 'Black out parts of the screenshot',
    apply: 'Apply redaction',
    redacted: 'Redacted (1 areas)',
  },
  'zh-CN': {
    endpoint: '举报接收地址',
    save: '保存设置',
    saved: '设置已保存。',
    selectOnPage: '在页面上选择',
    title: '举报所选内容',
    viewport: '可见页面的截图',
    element: '所选部分的截图',
    text: '所选的文字',
    harmful: '危害未成年人',
    showPreview: '显示预览',
    submit: '提交举报',
    redact: '打码',
    redactHeading: '遮盖截图中的部分内容',
    apply: '应用打码',
    redacted: '已打码（1 处）',
  },
} as const;
type Locale = keyof typeof LOCALES;

async function launch(locale: Locale, endpoint: string): Promise<ExtensionHarness> {
  const extension = await ExtensionHarness.launch({ extensionDir: E2E_CAPTURE_BUILD, locale });
  const l = LOCALES[locale];
  const options = await extension.openOptions();
  await options.getByRole('textbox', { name: l.endpoint }).fill(endpoint);
  await options.getByRole('button', { name: l.save }).click();
  await expect(options.getByText(l.saved)).toBeVisible();
  await options.close();
  return extension;
}

/** Picks the article on the fixture page through the popup's Select on page; the report window. */
async function pickArticle(extension: ExtensionHarness, locale: Locale, url: string): Promise<Page> {
  const page = await extension.context.newPage();
  await page.goto(url);
  const popup = await extension.openPopup(page);
  await popup.getByRole('button', { name: LOCALES[locale].selectOnPage }).click();
  await expect(page.locator('flagline-picker')).toHaveCount(1);
  await popup.close();
  await page.bringToFront();
  const form = await pickByClick(extension, page, page.locator('article'), { x: 2, y: 2 });
  await expect(form.getByRole('heading', { name: LOCALES[locale].title })).toBeVisible();
  return form;
}

async function expectNoViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);
}

for (const locale of Object.keys(LOCALES) as Locale[]) {
  test(`report window (${locale}): axe-core finds no violations with previews shown, blurred, revealed and with errors`, async ({ receiver, site }) => {
    const l = LOCALES[locale];
    const extension = await launch(locale, receiver.endpoint);
    try {
      const form = await pickArticle(extension, locale, `${site.url}/article.html?case=axe-report-${locale}`);
      // The evidence as one line, then expanded.
      await expect(form.locator('#evidence-summary-toggle')).toHaveAttribute('aria-expanded', 'false');
      await expect(form.locator('html')).toHaveAttribute('lang', locale === 'zh-CN' ? 'zh-CN' : /^en/);
      await expectNoViolations(form);
      await showEvidence(form);
      await expect(form.getByRole('checkbox', { name: l.text })).toBeChecked();
      await expectNoViolations(form);

      // Validation errors showing.
      await form.getByRole('button', { name: l.submit }).click();
      await expect(form.getByRole('alert').first()).toBeVisible();
      await expectNoViolations(form);

      // Submit report stays in view without scrolling at the window's size, at 100% and 125% zoom,
      // with the evidence expanded and errors showing.
      for (const zoom of [1, 1.25]) {
        await form.setViewportSize({ width: Math.floor(REPORT_WINDOW_INNER.width / zoom), height: Math.floor(REPORT_WINDOW_INNER.height / zoom) });
        await expectInViewWithoutScrolling(form, form.getByRole('button', { name: l.submit }));
        await expectInViewWithoutScrolling(form, form.getByRole('radio', { name: l.harmful }));
      }
      await form.setViewportSize(REPORT_WINDOW_INNER);

      // Harmful to minors: previews blurred behind a Show preview button; then revealed.
      await form.getByRole('radio', { name: l.harmful }).check();
      await expect(form.getByRole('button', { name: l.showPreview })).toBeVisible();
      await expectNoViolations(form);
      await form.getByRole('button', { name: l.showPreview }).click();
      await expectNoViolations(form);

      // The redaction box tool, with an area added.
      await form.getByRole('button', { name: l.redact }).click();
      await form.keyboard.press('Enter');
      await expect(form.getByRole('heading', { name: l.redactHeading })).toBeVisible();
      await expectNoViolations(form);
      await form.getByRole('button', { name: l.apply }).click();
      await expect(form.getByText(l.redacted).first()).toBeVisible();
      await expectNoViolations(form);
    } finally {
      await extension.close();
    }
  });
}

test('report window: the keyboard alone goes through each artifact, leaves one out and submits', async ({ receiver, site }) => {
  const l = LOCALES['en-US'];
  const extension = await launch('en-US', receiver.endpoint);
  try {
    const form = await pickArticle(extension, 'en-US', `${site.url}/article.html?case=kbd-report`);
    await expect(form.getByRole('button', { name: /3 items, verified/ })).toBeVisible();
    await expect.poll(() => form.evaluate(() => document.activeElement === document.body)).toBe(true);
    // From the top of the window: the category first (arrows choose), then its sub-reasons.
    await form.keyboard.press('Tab');
    await expect(form.getByRole('radio', { name: 'Rumor' })).toBeFocused();
    await form.keyboard.press('ArrowDown'); // → Cyberviolence
    await form.keyboard.press('Tab'); // → sub-reason chips
    await expect(form.getByRole('radio', { name: 'Not specified' })).toBeFocused();
    // Then the one-line evidence summary: Enter expands it, and Tab reaches each artifact's checkbox in the order shown.
    await form.keyboard.press('Tab');
    await expect(form.locator('#evidence-summary-toggle')).toBeFocused();
    await form.keyboard.press('Enter');
    await form.keyboard.press('Tab');
    await expect(form.getByRole('checkbox', { name: l.element })).toBeFocused();
    await form.keyboard.press('Space'); // leave the crop out
    await expect(form.getByRole('checkbox', { name: l.element })).not.toBeChecked();
    await form.keyboard.press('Tab');
    await expect(form.getByRole('checkbox', { name: l.text })).toBeFocused();
    await form.keyboard.press('Tab');
    await expect(form.getByRole('checkbox', { name: l.viewport })).toBeFocused();
    await form.keyboard.press('Tab');
    await expect(form.getByRole('button', { name: l.redact })).toBeFocused();
    // On into the rest of the form: explanation, good faith, submit.
    await form.keyboard.press('Tab'); // → explanation
    await form.keyboard.type('键盘举报所选内容');
    await form.keyboard.press('Tab'); // → good faith
    await form.keyboard.press('Space');
    await form.keyboard.press('Tab'); // → submit
    await expect(form.getByRole('button', { name: l.submit })).toBeFocused();
    await form.keyboard.press('Enter');

    const stored = await receiver.waitForReport();
    expect(stored.report).toMatchObject({ category: 'cyberviolence', explanation: '键盘举报所选内容' });
    expect(stored.report.evidence?.artifacts.map((a) => a.name).sort()).toEqual(['text.txt', 'viewport.png']);
    expect(stored.report.evidence?.unavailable).toEqual([{ name: 'element.png', reason: 'user-excluded' }]);
    expect(stored.evidenceCheck?.ok).toBe(true);
  } finally {
    await extension.close();
  }
});
