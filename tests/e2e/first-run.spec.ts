import AxeBuilder from '@axe-core/playwright';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { badge } from './support/delivery';
import { ExtensionHarness, PRODUCTION_BUILD, submitReport } from './support/extension';
import { expect, test } from './support/fixtures';

/**
 * Issue 16, with the production build (not the e2e variant, which builds in a local Desk): no
 * endpoint anywhere, the first run asks where reports go, and a report saved with no endpoint
 * stays saved — nothing queued, retried or counted on the badge.
 */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

async function expectNoAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));

/** A loopback address used as an endpoint: a port or a path after the host (not the `http://127.0.0.1/*` permission pattern). */
const LOOPBACK_ENDPOINT = /https?:\/\/(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d+|\/(?!\*))/;

test('the production build has no loopback endpoint in any of its files', () => {
  const offending = filesUnder(PRODUCTION_BUILD).filter((file) => LOOPBACK_ENDPOINT.test(readFileSync(file, 'latin1')));
  expect(offending).toEqual([]);
  // The check itself finds the endpoint the e2e build carries.
  expect(filesUnder(resolveE2e()).some((file) => LOOPBACK_ENDPOINT.test(readFileSync(file, 'latin1')))).toBe(true);
});

const resolveE2e = () => PRODUCTION_BUILD.replace(/chrome-mv3$/, 'chrome-mv3-e2e');

for (const locale of ['en-US', 'zh-CN']) {
  test(`first run (${locale}): the choice page opens on install, by keyboard, and passes axe`, async () => {
    const extension = await ExtensionHarness.launch({ extensionDir: PRODUCTION_BUILD, locale });
    try {
      await expect.poll(() => extension.context.pages().some((p) => p.url() === extension.url('welcome.html'))).toBe(true);
      const welcome = extension.context.pages().find((p) => p.url() === extension.url('welcome.html')) as Page;
      const zh = locale.startsWith('zh');
      await expect(welcome.getByRole('heading', { level: 1 })).toHaveText(zh ? '举报要送到哪里？' : 'Where should your reports go?');
      const official = welcome.getByRole('radio', { name: zh ? /官方举报渠道/ : /official channels myself/ });
      await expect(official).toBeChecked();
      await expectNoAxeViolations(welcome);

      // Keyboard only: into the choices, to the organisation's file (the import appears), back, save.
      await official.focus();
      await welcome.keyboard.press('ArrowUp');
      await expect(welcome.getByRole('radio', { name: zh ? /设置文件或链接/ : /setup file or link/ })).toBeChecked();
      await expect(welcome.locator('input[type=file]')).toHaveCount(1);
      await expectNoAxeViolations(welcome);
      await welcome.keyboard.press('ArrowDown');
      await expect(official).toBeChecked();
      await welcome.keyboard.press('Tab');
      await expect(welcome.getByRole('button', { name: zh ? '保存我的选择' : 'Save my choice' })).toBeFocused();
      await welcome.keyboard.press('Enter');
      await expect(welcome.getByRole('status')).toContainText(zh ? '已保存' : 'Done.');

      // Settings show no endpoint, and the choice with the way to change it.
      const options = await extension.openOptions();
      await expect(options.getByRole('textbox', { name: zh ? /接收地址|Endpoint/ : 'Endpoint URL' })).toHaveValue('');
      await expect(options.getByText(zh ? '当前：由我提交给官方举报渠道' : 'Now: official channels, handed off by me')).toBeVisible();
      await expect(options.getByRole('link', { name: zh ? '更改举报去向' : 'Change where reports go' })).toHaveAttribute('href', 'welcome.html');
    } finally {
      await extension.close();
    }
  });
}

/**
 * The e2e build (it can read loopback pages; production cannot without the user's activeTab
 * grant) with its built-in endpoint cleared in settings, as a user would: clearing means none.
 */
test('with the endpoint cleared a report is saved, not sent to any channel: nothing queued, retried or on the badge', async ({ site }) => {
  const extension = await ExtensionHarness.launch();
  try {
    await extension.setEndpoint('');
    const options = await extension.openOptions();
    await expect(options.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue('');
    await options.close();
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html`);
    const popup = await extension.openPopup(page);
    await submitReport(popup, { category: 'Rumor', explanation: 'no endpoint here' });
    await expect(popup.getByRole('status')).toHaveText('Saved — not sent to any channel.');
    await expect(popup.getByRole('button', { name: 'Hand off to an official channel' })).toBeVisible();

    // A flush asked for by hand (as Retry would) finds nothing to send and changes nothing.
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'flushOutbox', payload: { force: true } }));
    const [record] = await extension.records();
    expect(record).toMatchObject({ status: 'held', attempts: 0 });
    expect(record?.lastError).toBeUndefined();
    expect(record?.ledger).toBeUndefined();
    expect((await badge(extension)).text).toBe('');
  } finally {
    await extension.close();
  }
});
