import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { ExtensionHarness } from './support/extension';
import { expect, test } from './support/fixtures';

/**
 * The popup, the settings page and the workspace in a Chinese browser pass axe-core, in the
 * states a user meets (tests/e2e/a11y-locale.spec.ts checks them in English; a11y-report.spec.ts
 * checks the report window in both languages).
 */

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

async function expectNoViolations(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);
}

async function saveSettings(extension: ExtensionHarness, change: (options: Page) => Promise<void>) {
  const options = await extension.openOptions();
  await change(options);
  await options.getByRole('button', { name: '保存设置' }).click();
  await expect(options.getByText('设置已保存。').last()).toBeVisible();
  await options.close();
}

/**
 * Reports a fixture page through the popup, in Chinese. The profile's first report ticks the
 * good-faith statement; later ones find it standing beside Submit (docs/good-faith.md).
 */
async function reportInChinese(
  extension: ExtensionHarness,
  url: string,
  category: string,
  explanation: string,
  confirmation: RegExp,
  goodFaith: 'tick' | 'standing' = 'tick',
) {
  const page = await extension.context.newPage();
  await page.goto(url);
  const popup = await extension.openPopup(page);
  await popup.getByRole('radio', { name: category }).check();
  await popup.getByRole('textbox', { name: '说明' }).fill(explanation);
  if (goodFaith === 'tick') await popup.getByRole('checkbox', { name: /善意/ }).check();
  else {
    await expect(popup.getByText(/提交即表示您确认/)).toBeVisible();
    await expect(popup.getByRole('checkbox', { name: /善意/ })).toHaveCount(0);
  }
  await popup.getByRole('button', { name: '提交举报' }).click();
  await expect(popup.getByRole('status').filter({ hasText: confirmation })).toBeVisible();
  await popup.close();
  await page.close();
}

test.describe('accessibility in a Chinese browser', () => {
  test.use({ browserLocale: 'zh-CN' });

  test('axe-core finds no violations on the settings page and the popup, also with errors showing', async ({ extension, receiver, site }) => {
    const options = await extension.openOptions();
    await options.getByRole('button', { name: '保存设置' }).waitFor();
    await expectNoViolations(options);
    await options.getByRole('textbox', { name: '举报接收地址' }).fill('http://example.org/');
    await options.getByRole('button', { name: '保存设置' }).click();
    await expect(options.getByText(/地址必须以 https:\/\/ 开头/)).toBeVisible();
    await expectNoViolations(options);
    await options.getByRole('textbox', { name: '举报接收地址' }).fill(receiver.endpoint);
    await options.getByRole('button', { name: '保存设置' }).click();
    await expect(options.getByText('设置已保存。')).toBeVisible();
    await options.close();

    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=axe-zh`);
    const popup = await extension.openPopup(page);
    await popup.getByRole('button', { name: '提交举报' }).waitFor();
    await expectNoViolations(popup);
    await popup.getByRole('button', { name: '提交举报' }).click();
    await expect(popup.getByRole('alert').first()).toBeVisible();
    await expectNoViolations(popup);
    await popup.getByRole('radio', { name: '危害未成年人' }).check();
    await expectNoViolations(popup);
    await popup.getByRole('checkbox', { name: /善意/ }).check();
    await popup.getByRole('button', { name: '提交举报' }).click();
    await receiver.waitForReport();
    await expect(popup.getByText(/举报已发送/)).toBeVisible();
    await expectNoViolations(popup);
  });

  test('axe-core finds no violations on the workspace: list, detail and duplicates dialog', async ({ extension, receiver, site }) => {
    await saveSettings(extension, async (options) => {
      await options.getByRole('textbox', { name: '举报接收地址' }).fill(receiver.endpoint);
      await options.getByRole('checkbox', { name: '发送前先保留举报以便检查' }).check();
    });
    for (const explanation of ['一', '二']) {
      await reportInChinese(
        extension,
        `${site.url}/article.html?case=axe-ws-zh`,
        '危害未成年人',
        explanation,
        /已保存，等待检查/,
        explanation === '一' ? 'tick' : 'standing',
      );
    }
    const workspace = await extension.context.newPage();
    await workspace.goto(extension.url('workspace.html'));
    await expect(workspace.getByRole('heading', { name: '清朗举报工作台' })).toBeVisible();
    const rows = workspace.getByRole('list', { name: '举报列表' }).getByRole('listitem');
    await expect(rows).toHaveCount(2);
    await expectNoViolations(workspace);
    await rows.first().getByRole('button', { name: /^详情/ }).click();
    await expect(workspace.getByRole('region', { name: '举报详情' })).toBeVisible();
    await expectNoViolations(workspace);
    await workspace.getByRole('checkbox', { name: '全选符合条件的举报' }).check();
    await workspace.getByRole('button', { name: '提交所选' }).click();
    await expect(workspace.getByRole('dialog', { name: '可能重复的举报' })).toBeVisible();
    await expectNoViolations(workspace);
  });
});
