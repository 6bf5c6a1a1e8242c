import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportStatus } from '../../utils/schema/wire';
import { ensureDeskUi } from '../../scripts/desk-ui.mjs';
import { freePort } from '../../scripts/free-port';
import { runCli, serveDesk } from '../desk/support/child';
import { wireReport } from '../support/wire-reports';
import { submitReport } from './support/extension';
import { expect, pickArticleByKeyboard, test } from './support/picker';

/**
 * The reviewers' desk in real Chromium against a real Desk (the command line, on SQLite in a temp
 * directory): the real extension delivers a picked post; an admin signs in, finds it, sees a
 * second report on the same address in its cluster, closes the cluster with an outcome and a
 * public note (which the status endpoint then answers), forwards it with a case number; a
 * reviewer cannot open the admin pages; axe-core finds nothing on any screen in either language.
 */

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const ADMIN = { email: 'admin@school.example', password: 'admin password 1' };
const REVIEWER = { email: 'reviewer@school.example', password: 'reviewer password 1' };
const ARTICLE_TITLE = '惊爆！专家称喝盐水可预防病毒 — 示例新闻';
const HOSTILE_TEXT = '<script>alert("xss")</script> <img src=x onerror=alert(1)> <a href="javascript:alert(2)">点我</a> 这段文字足够长可以聚类';

async function expectAccessible(page: Page, screen: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(
    violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) })),
    screen,
  ).toEqual([]);
}

async function signIn(page: Page, user: { email: string; password: string }) {
  await page.getByRole('textbox', { name: 'Email' }).fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeVisible();
}

async function switchLanguage(page: Page, language: 'English' | '简体中文') {
  await page.locator('header select').selectOption({ label: language });
  await expect(page.locator('html')).toHaveAttribute('lang', language === 'English' ? 'en' : 'zh-CN');
}

test.beforeAll(async () => {
  await ensureDeskUi();
});

test('a reviewer signs in, finds the delivered report, closes its cluster, forwards it; admin pages stay admin-only; every screen passes axe', async ({
  extension,
  site,
}) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flagline-e2e-desk-ui-'));
  const port = await freePort();
  const cli = (args: string[], input?: string) => {
    const result = runCli([...args, '--data', dataDir, '--port', String(port)], input);
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  };
  const channel = JSON.parse(cli(['channel', 'create', '--name', 'E2E 实验中学'])) as { token: string; endpoint: string };
  cli(['user', 'create', '--email', ADMIN.email, '--role', 'admin', '--password-stdin'], `${ADMIN.password}\n`);
  cli(['user', 'create', '--email', REVIEWER.email, '--role', 'reviewer', '--password-stdin'], `${REVIEWER.password}\n`);
  const desk = await serveDesk(['--data', dataDir], port);
  try {
    // 1. The real extension delivers a picked post.
    await extension.setEndpoint(channel.endpoint, channel.token);
    const { form } = await pickArticleByKeyboard(extension, site.url);
    await submitReport(form, { category: 'Rumor', explanation: '伪科学，送到学校的 Desk' });
    await expect.poll(async () => (await extension.records())[0]?.receipt, { timeout: 30_000 }).toBeTruthy();

    // 2. A second report on the same address (a tracking parameter added), with hostile captured text.
    const second = await wireReport({ url: `${site.url}/article.html?utm_source=wechat`, explanation: '同一篇文章，又一位同学举报' });
    second.target = { ...second.target, kind: 'element', title: 'Same article, shared link', text: HOSTILE_TEXT, links: ['javascript:alert(3)'] };
    const posted = await fetch(channel.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${channel.token}` },
      body: JSON.stringify({ reports: [second] }),
    });
    expect(posted.status).toBe(200);
    const statusToken = ((await posted.json()) as { results: Array<{ statusToken: string }> }).results[0]!.statusToken;

    // 3. Sign in (after checking the sign-in screen in both languages).
    const page = await extension.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // The interface runs under the Desk's strict CSP: anything it refused would show up here.
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    });
    await page.goto(desk.url);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expectAccessible(page, 'sign in (en)');
    await switchLanguage(page, '简体中文');
    await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
    await expectAccessible(page, 'sign in (zh)');
    await switchLanguage(page, 'English');
    await signIn(page, ADMIN);

    // 4. The queue shows the delivered report, its cluster holding both.
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: ARTICLE_TITLE }) });
    await expect(row).toBeVisible();
    await expect(row.getByRole('cell').nth(2)).toHaveText('E2E 实验中学');
    await expect(row.getByRole('cell').nth(5)).toHaveText('2');
    await expectAccessible(page, 'queue (en)');

    // 5. Open it: its evidence hashes are verified; the cluster lists the second report.
    await row.getByRole('link', { name: ARTICLE_TITLE }).click();
    await expect(page.getByRole('heading', { level: 1, name: ARTICLE_TITLE })).toBeFocused();
    await expect(page.getByText(/Hash verified/).first()).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Reports in this cluster: 2' })).toBeVisible();
    await expectAccessible(page, 'report (en)');

    // 6. The second report's hostile captured text is text: no script ran, no javascript: link exists.
    await page.getByRole('link', { name: 'Same article, shared link' }).click();
    await expect(page.getByTestId('captured-text')).toHaveText(HOSTILE_TEXT);
    await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
    await expect(page.locator('main script, main img[src="x"]')).toHaveCount(0);
    await expect(page.getByText('javascript:alert(3)')).toBeVisible();
    expect(dialogs).toEqual([]);
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1, name: ARTICLE_TITLE })).toBeVisible();

    // 7. Close the cluster with an outcome and a public note.
    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Closed' });
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption({ label: 'Removed' });
    await page.getByRole('textbox', { name: 'Public note' }).fill('The platform removed the post after our report.');
    await page.getByRole('textbox', { name: 'Internal note' }).fill('Forwarded to 12377 as well.');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('closed');

    // 8. The status endpoint answers the second reporter with the state, outcome and public note.
    const status = await fetch(`${channel.endpoint}/${second.id}/status`, { headers: { Authorization: `Bearer ${statusToken}` } });
    expect(status.status).toBe(200);
    expect(ReportStatus.parse(await status.json())).toMatchObject({
      id: second.id,
      state: 'closed',
      outcome: 'removed',
      publicNote: 'The platform removed the post after our report.',
    });

    // 9. Forward to 12377 and record the case number it gave.
    await page.getByRole('combobox', { name: 'Forward to…' }).selectOption('cac-12377-web');
    await expect(page.getByRole('link', { name: 'Download the evidence packet (ZIP)' })).toBeVisible();
    const [packet] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the evidence packet (ZIP)' }).click()]);
    expect(packet.suggestedFilename()).toMatch(/^flagline-handoff-.+-cac-12377-web\.zip$/);
    const packetFiles = unzipSync(readFileSync(await packet.path()));
    expect(Object.keys(packetFiles)).toEqual(expect.arrayContaining(['fields.txt', 'manifest.json']));
    await expectAccessible(page, 'report with hand-off (en)');
    await page.getByRole('textbox', { name: 'Case number' }).fill('JB-2026-0042');
    await page.getByRole('button', { name: 'Record hand-off' }).click();
    await expect(page.getByRole('list').filter({ hasText: 'JB-2026-0042' })).toBeVisible();

    // 10. The admin pages, in English then Chinese; the report and queue in Chinese too.
    for (const [link, heading] of [
      ['Users', 'Users'],
      ['Channels', 'Channels'],
      ['Notifications', 'Notifications'],
      ['Audit log', 'Audit log'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeFocused();
      await expect(page.getByText('Loading…')).toHaveCount(0);
      // Every admin screen loads its data: no error in place of it.
      await expect(page.getByRole('alert')).toHaveCount(0);
      await expectAccessible(page, `${link} (en)`);
    }
    await expect(page.getByRole('cell', { name: 'Decided' }).first()).toBeVisible();
    await switchLanguage(page, '简体中文');
    for (const name of ['用户', '渠道', '通知', '审计日志']) {
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name }).click();
      await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
      await expect(page.getByText('正在加载…')).toHaveCount(0);
      await expect(page.getByRole('alert')).toHaveCount(0);
      await expectAccessible(page, `${name} (zh)`);
    }
    await page.getByRole('link', { name: '举报队列' }).click();
    await expect(page.getByRole('searchbox', { name: '搜索' })).toBeVisible();
    await expect(page.getByRole('link', { name: ARTICLE_TITLE })).toBeVisible();
    await expectAccessible(page, 'queue (zh)');
    await page.getByRole('link', { name: ARTICLE_TITLE }).click();
    await expect(page.getByRole('combobox', { name: '状态' })).toHaveValue('closed');
    await expectAccessible(page, 'report (zh)');
    await switchLanguage(page, 'English');

    // 11. A reviewer: no admin links, the admin pages and routes refused.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, REVIEWER);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toHaveCount(0);
    await page.goto(`${desk.url}/admin/users`);
    await expect(page.getByRole('heading', { level: 1, name: 'Admins only' })).toBeVisible();
    await expectAccessible(page, 'admins only (en)');
    expect((await page.request.get(`${desk.url}/api/users`)).status()).toBe(403);
    await page.goto(`${desk.url}/admin/audit`);
    await expect(page.getByRole('heading', { level: 1, name: 'Admins only' })).toBeVisible();

    // 12. The setup page, once an admin exists, in both languages.
    await page.goto(`${desk.url}/setup`);
    await expect(page.getByText('The Desk is set up already.')).toBeVisible();
    await expectAccessible(page, 'setup (en)');
    await switchLanguage(page, '简体中文');
    await expect(page.getByText('举报台已完成初始设置。')).toBeVisible();
    await expectAccessible(page, 'setup (zh)');
    expect(dialogs).toEqual([]);
    expect(cspViolations).toEqual([]);
  } finally {
    desk.child.kill('SIGTERM');
    await desk.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
