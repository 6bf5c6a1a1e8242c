import { expectInViewWithoutScrolling, sizeLikePopup } from './support/fold';
import { expect, test } from './support/fixtures';

/**
 * Issue 19: Submit report is on screen without scrolling in the popup, sized as Chromium sizes the
 * real popup (its content, at most 800×600), in both languages, at 100% and 125% zoom — when the
 * popup opens, with the longest list of sub-reasons shown, and with validation errors showing.
 */
const LOCALES = {
  'en-US': { submit: 'Submit report', harmful: 'Harmful to minors', rumor: 'Rumor', first: 'Rumor' },
  'zh-CN': { submit: '提交举报', harmful: '危害未成年人', rumor: '谣言', first: '谣言' },
} as const;

for (const locale of Object.keys(LOCALES) as Array<keyof typeof LOCALES>) {
  test.describe(`popup (${locale})`, () => {
    test.use({ browserLocale: locale });
    for (const zoom of [1, 1.25]) {
      test(`Submit report is in view without scrolling at ${zoom * 100}% zoom, category first`, async ({ extension, site }) => {
        const l = LOCALES[locale];
        const page = await extension.context.newPage();
        await page.goto(`${site.url}/article.html?case=fold-${locale}-${zoom}`);
        const popup = await extension.openPopup(page);
        const submit = popup.getByRole('button', { name: l.submit });
        await submit.waitFor();
        // The category is the first control of the form, at the top of the popup.
        const first = popup.getByRole('radio', { name: l.first });
        await sizeLikePopup(popup, zoom);
        await expectInViewWithoutScrolling(popup, first);
        await expectInViewWithoutScrolling(popup, submit);

        // The category with the most sub-reasons, as chips.
        await popup.getByRole('radio', { name: l.harmful }).check();
        await sizeLikePopup(popup, zoom);
        await expectInViewWithoutScrolling(popup, submit);

        // Errors showing (nothing confirmed yet).
        await submit.click();
        await expect(popup.getByRole('alert').first()).toBeVisible();
        await sizeLikePopup(popup, zoom);
        await expectInViewWithoutScrolling(popup, submit);
      });
    }
  });
}
