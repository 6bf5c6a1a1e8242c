import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './support/fixtures';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

test.describe('accessibility', () => {
  test('axe-core finds no violations on the popup, in every state a user meets', async ({ extension, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=axe`);
    const popup = await extension.openPopup(page);
    await popup.getByRole('button', { name: 'Submit report' }).waitFor();
    expect((await new AxeBuilder({ page: popup }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);

    // With validation errors showing.
    await popup.getByRole('button', { name: 'Submit report' }).click();
    await expect(popup.getByRole('alert')).toBeVisible();
    expect((await new AxeBuilder({ page: popup }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);

    // With a category chosen (sub-reasons shown) and after submitting.
    await popup.getByRole('radio', { name: 'Harmful to minors' }).check();
    expect((await new AxeBuilder({ page: popup }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
    await popup.getByRole('checkbox', { name: /good faith/ }).check();
    await popup.getByRole('button', { name: 'Submit report' }).click();
    await expect(popup.getByRole('button', { name: 'Report something else' })).toBeVisible();
    expect((await new AxeBuilder({ page: popup }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
  });

  test('axe-core finds no violations on the settings page, also with errors showing', async ({ extension }) => {
    const options = await extension.openOptions();
    await options.getByRole('button', { name: 'Save settings' }).waitFor();
    expect((await new AxeBuilder({ page: options }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
    await options.getByRole('textbox', { name: 'Endpoint URL' }).fill('ftp://x');
    await options.getByRole('button', { name: 'Save settings' }).click();
    await expect(options.getByText(/not a valid web address/)).toBeVisible();
    expect((await new AxeBuilder({ page: options }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
  });

  test('axe-core finds no violations on the workspace: list, detail and duplicates dialog', async ({ extension, site }) => {
    const { holdForReview, openWorkspace, reportPage, rows } = await import('./support/workspace');
    await holdForReview(extension);
    for (const explanation of ['一', 'two']) {
      await reportPage(extension, `${site.url}/article.html?case=axe-ws`, { category: 'Harmful to minors', explanation }, /Saved for review/);
    }
    const workspace = await openWorkspace(extension);
    await expect(rows(workspace)).toHaveCount(2);
    expect((await new AxeBuilder({ page: workspace }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
    await rows(workspace)
      .first()
      .getByRole('button', { name: /^Details/ })
      .click();
    await expect(workspace.getByRole('region', { name: 'Report details' })).toBeVisible();
    expect((await new AxeBuilder({ page: workspace }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
    await workspace.getByRole('checkbox', { name: 'Select all matching' }).check();
    await workspace.getByRole('button', { name: 'Submit selected' }).click();
    await expect(workspace.getByRole('dialog', { name: 'Possible duplicates' })).toBeVisible();
    expect((await new AxeBuilder({ page: workspace }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
  });

  test('the workspace works with the keyboard alone', async ({ extension, receiver, site }) => {
    const { holdForReview, openWorkspace, reportPage, rows } = await import('./support/workspace');
    await holdForReview(extension);
    await reportPage(extension, `${site.url}/article.html?case=kbd-ws`, { category: 'Rumor', explanation: '键盘发送' }, /Saved for review/);
    const workspace = await openWorkspace(extension);
    await expect(rows(workspace)).toHaveCount(1);
    // Details: Enter opens the panel and moves focus to it; Close returns focus to the row.
    await rows(workspace)
      .getByRole('button', { name: /^Details/ })
      .focus();
    await workspace.keyboard.press('Enter');
    await expect(workspace.getByRole('heading', { name: 'Report details' })).toBeFocused();
    await workspace.keyboard.press('Tab'); // → Hand off to an official channel (issue 16)
    await expect(workspace.getByRole('button', { name: 'Hand off to an official channel' })).toBeFocused();
    await workspace.keyboard.press('Tab'); // → Close details
    await expect(workspace.getByRole('button', { name: 'Close details' })).toBeFocused();
    await workspace.keyboard.press('Enter');
    await expect(rows(workspace).getByRole('button', { name: /^Details/ })).toBeFocused();
    // Select with Space, then Tab to Submit selected.
    await workspace.getByRole('checkbox', { name: 'Select all matching' }).focus();
    await workspace.keyboard.press('Space');
    await workspace.keyboard.press('Tab'); // → Submit selected
    await expect(workspace.getByRole('button', { name: 'Submit selected' })).toBeFocused();
    await workspace.keyboard.press('Enter');
    const stored = await receiver.waitForReport();
    expect(stored.report.explanation).toBe('键盘发送');
  });

  test('the report form works with the keyboard alone', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=keyboard`);
    const popup = await extension.openPopup(page);
    await popup.getByRole('button', { name: 'Submit report' }).waitFor();
    await popup.getByRole('radio', { name: 'Rumor' }).focus();
    await popup.keyboard.press('ArrowDown'); // → Cyberviolence, selected by moving
    await popup.keyboard.press('Tab'); // → sub-reason
    await popup.keyboard.press('Tab'); // → explanation
    await popup.keyboard.type('键盘提交');
    await popup.keyboard.press('Tab'); // → good faith
    await popup.keyboard.press('Space');
    await popup.keyboard.press('Tab'); // → submit
    await popup.keyboard.press('Enter');
    const stored = await receiver.waitForReport();
    expect(stored.report).toMatchObject({ category: 'cyberviolence', explanation: '键盘提交' });
  });

  test('after the first report a report is category → Submit: the good-faith statement stands beside Submit until withdrawn in Settings', async ({
    extension,
    receiver,
    site,
  }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=good-faith`);
    const first = await extension.openPopup(page);
    await first.getByRole('radio', { name: 'Rumor' }).check();
    await first.getByRole('checkbox', { name: /good faith/ }).check();
    await first.getByRole('button', { name: 'Submit report' }).click();
    expect((await receiver.waitForReport((r) => r.report.category === 'rumor')).report.goodFaith.accepted).toBe(true);
    await first.close();

    // Two actions now: the category, then Submit report; the statement is a line that describes it.
    const next = await extension.openPopup(page);
    await next.getByRole('radio', { name: 'Cyberviolence' }).check();
    const submit = next.getByRole('button', { name: 'Submit report' });
    await expect(next.getByText(/By submitting you confirm, as you did before on this device/)).toBeVisible();
    await expect(submit).toHaveAccessibleDescription(/By submitting you confirm/);
    await expect(next.getByRole('checkbox', { name: /good faith/ })).toHaveCount(0);
    expect((await new AxeBuilder({ page: next }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
    await submit.click();
    const second = await receiver.waitForReport((r) => r.report.category === 'cyberviolence');
    expect(second.report.goodFaith.accepted).toBe(true);
    await next.close();

    // Withdrawn in Settings: the next report asks for the tick again.
    const options = await extension.openOptions();
    await expect(options.getByRole('region', { name: 'Good-faith statement' })).toContainText('You accepted the good-faith statement on this device');
    await options.getByRole('button', { name: 'Withdraw the statement' }).click();
    await expect(options.getByText(/Your next report asks you to tick/)).toBeVisible();
    expect((await new AxeBuilder({ page: options }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
    const again = await extension.openPopup(page);
    await expect(again.getByRole('checkbox', { name: /good faith/ })).toBeVisible();
  });
});

test.describe('Chinese browser', () => {
  test.use({ browserLocale: 'zh-CN' });

  test('shows the popup and the settings page in Simplified Chinese', async ({ extension, receiver, site }) => {
    const options = await extension.openOptions();
    await expect(options.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(options.getByRole('button', { name: '保存设置' })).toBeVisible();
    await options.getByRole('textbox', { name: '举报接收地址' }).fill('http://example.org/');
    await options.getByRole('button', { name: '保存设置' }).click();
    await expect(options.getByText(/地址必须以 https:\/\/ 开头/)).toBeVisible();
    await options.getByRole('textbox', { name: '举报接收地址' }).fill(receiver.endpoint);
    await options.getByRole('button', { name: '保存设置' }).click();
    await expect(options.getByText('设置已保存。')).toBeVisible();

    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=zh`);
    const popup = await extension.openPopup(page);
    await expect(popup.getByRole('heading', { name: '举报有害内容' })).toBeVisible();
    for (const name of ['谣言', '网络暴力', '危害未成年人']) await expect(popup.getByRole('radio', { name })).toBeVisible();
    await popup.getByRole('radio', { name: '网络暴力' }).check();
    await popup.getByRole('textbox', { name: '说明' }).fill('恶意辱骂');
    await popup.getByRole('checkbox', { name: /善意/ }).check();
    await popup.getByRole('button', { name: '提交举报' }).click();
    const stored = await receiver.waitForReport();
    expect(stored.report.client.locale).toBe('zh-CN');
    await expect(popup.getByText(/举报已发送/)).toBeVisible();
  });
});
