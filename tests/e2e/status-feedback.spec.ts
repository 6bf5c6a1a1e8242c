import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDeskUi } from '../../scripts/desk-ui.mjs';
import { freePort } from '../../scripts/free-port';
import { runCli, serveDesk } from '../desk/support/child';
import { withReview } from '../../utils/status/book';
import { ExtensionHarness, submitReport } from './support/extension';
import { expect, test } from './support/fixtures';
import { openWorkspace, rows } from './support/workspace';

/**
 * The reporter hears back (issue 18), the whole way: two browser profiles — two parents — report
 * the same article to a real Desk; a reviewer closes the cluster once, in the Desk's own interface,
 * with the outcome *Removed* and a public note; reopening the popup in one profile and the
 * workspace in the other shows both the outcome and the note, learnt through the status tokens
 * the Desk gave each of them.
 */

const ADMIN = { email: 'head@school.example', password: 'head teacher password' };
const ARTICLE_TITLE = '惊爆！专家称喝盐水可预防病毒 — 示例新闻';
const NOTE = 'The platform removed the post after our report. 平台已删除该帖。';

test.beforeAll(async () => {
  await ensureDeskUi();
});

async function reportArticle(extension: ExtensionHarness, articleUrl: string, explanation: string): Promise<void> {
  const page = await extension.context.newPage();
  await page.goto(articleUrl);
  const popup = await extension.openPopup(page);
  await submitReport(popup, { category: 'Rumor', explanation });
  // Delivered, with the Desk's status token kept for later.
  await expect.poll(async () => (await extension.statusEntries()).get((await extension.records())[0]?.id ?? '')?.token, { timeout: 30_000 }).toBeTruthy();
  await popup.close();
  await page.close();
}

async function closeWithNote(page: Page, deskUrl: string) {
  await page.goto(deskUrl);
  await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: ARTICLE_TITLE }) });
  // Both parents' reports are one cluster: one row says it holds 2.
  await expect(row.filter({ has: page.getByRole('cell', { name: '2', exact: true }) }).first()).toBeVisible();
  await row.first().getByRole('link', { name: ARTICLE_TITLE }).click();
  await expect(page.getByRole('heading', { name: 'Reports in this cluster: 2' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Closed' });
  await page.getByRole('combobox', { name: 'Outcome' }).selectOption({ label: 'Removed' });
  await page.getByRole('textbox', { name: 'Public note' }).fill(NOTE);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
}

test('two parents report the same post; one decision in the Desk reaches both, in the popup and in the workspace', async ({ extension, site }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flagline-e2e-status-'));
  const port = await freePort();
  const cli = (args: string[], input?: string) => {
    const result = runCli([...args, '--data', dataDir, '--port', String(port)], input);
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  };
  const channel = JSON.parse(cli(['channel', 'create', '--name', '实验中学'])) as { token: string; endpoint: string };
  cli(['user', 'create', '--email', ADMIN.email, '--role', 'admin', '--password-stdin'], `${ADMIN.password}\n`);
  const desk = await serveDesk(['--data', dataDir], port);
  const otherParent = await ExtensionHarness.launch();
  try {
    const articleUrl = `${site.url}/article.html`;
    await extension.setEndpoint(channel.endpoint, channel.token);
    await otherParent.setEndpoint(channel.endpoint, channel.token);
    await reportArticle(extension, articleUrl, '伪科学，孩子在班级群里看到的');
    // The second parent shares the link with a tracking parameter: the same post for the Desk.
    await reportArticle(otherParent, `${articleUrl}?utm_source=wechat`, '同一篇文章');

    const reviewer = await extension.context.newPage();
    await closeWithNote(reviewer, desk.url);
    await reviewer.close();

    // Parent 1 opens the popup again: the recent report says what became of it.
    const page = await extension.context.newPage();
    await page.goto(articleUrl);
    const popup = await extension.openPopup(page);
    const recent = popup.getByRole('region', { name: 'Recent reports' });
    await expect(recent).toContainText('Closed: removed', { timeout: 20_000 });
    await expect(recent).toContainText(NOTE);
    // Stored in the status book beside the report; the review learnt is the report's last ledger line.
    const [mine] = await extension.records();
    const learnt = (await extension.statusEntries()).get(mine!.id);
    expect(learnt?.review).toMatchObject({ state: 'closed', outcome: 'removed', publicNote: NOTE });
    expect(withReview(mine!, learnt).ledger?.at(-1)).toMatchObject({
      at: learnt?.review?.learntAt,
      outcome: 'status',
      review: { state: 'closed', outcome: 'removed' },
    });

    // Parent 2 opens the workspace: the row and the report's details say it too.
    const workspace = await openWorkspace(otherParent);
    await expect(rows(workspace).first()).toContainText('Closed: removed', { timeout: 20_000 });
    await rows(workspace)
      .first()
      .getByRole('button', { name: /^Details/ })
      .click();
    await expect(workspace.getByText(NOTE)).toBeVisible();
    // The status token stays in the extension: the JSON export carries the state, never the token.
    const [theirs] = await otherParent.records();
    const token = (await otherParent.statusEntries()).get(theirs!.id)?.token;
    expect(token).toBeTruthy();
    expect(JSON.stringify(await workspace.evaluate(() => document.body.innerText))).not.toContain(token);
  } finally {
    await otherParent.close();
    desk.child.kill('SIGTERM');
    await desk.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
