import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { SHIPPED_CATALOGUE } from '../../utils/handoff/catalogue';
import { BUILT_IN_CATEGORIES } from '../../utils/categories';
import { buildReport } from '../../utils/reports';
import type { Channel } from '../../utils/schema/channel-catalogue';
import type { ReportRecord } from '../../utils/schema/record';
import { ExtensionHarness } from './support/extension';
import { expect, test } from './support/fixtures';
import { POLICY_CHROMIUM, policyChromiumAvailable, preparePolicyBrowser, type PolicyBrowserSetup } from './support/policy';

/**
 * The hand-off (issue 16) in real Chromium, against a loopback copy of 12377's web form
 * (tests/fixtures/official-form-12377.html, the same field labels) — never the real site. The
 * copy is offered the way a school adds a channel: a managed policy (`handoff.channels`, with
 * `only: []` so no real channel is offered at all).
 */
test.skip(!policyChromiumAvailable(), `needs Debian's Chromium at ${POLICY_CHROMIUM} (it reads /etc/chromium/policies/managed)`);

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
async function expectNoAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);
}

const web12377 = SHIPPED_CATALOGUE.channels.find((c) => c.id === 'cac-12377-web') as Channel;
const fixtureChannel = (formUrl: string): Channel => ({
  ...web12377,
  id: 'fixture-12377-web',
  name: { zh_CN: '12377 网上举报（测试副本）', en: '12377 web form (test copy)' },
  formUrl,
});

const POST_URL = 'https://weibo.com/1234/AbCd';

/** A saved report (held: no endpoint), written where the extension keeps them. */
async function seedReport(extension: ExtensionHarness): Promise<ReportRecord> {
  const now = Date.now();
  const report = buildReport(
    { tabId: 1, category: 'rumor', subReason: 'disaster', explanation: '声称明天全市停水三天，自来水公司已辟谣。', goodFaith: true },
    { url: POST_URL, title: '明天全市停水三天' },
    { clock: () => now, newId: () => crypto.randomUUID(), categories: BUILT_IN_CATEGORIES, client: { version: '0.1.0', locale: 'zh-CN' } },
  );
  const record: ReportRecord = { id: report.id, report, status: 'held', createdAt: now, updatedAt: now, attempts: 0, nextAttemptAt: now };
  const page = await extension.openOptions();
  await page.evaluate(
    (row) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('flagline');
        open.onsuccess = () => {
          const tx = open.result.transaction('reports', 'readwrite');
          tx.objectStore('reports').put(row);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error ?? new Error('IndexedDB request failed'));
        };
      }),
    record,
  );
  await page.close();
  return record;
}

const test2 = test.extend<{ policyExtension: (locale: string) => Promise<ExtensionHarness> }>({
  policyExtension: async ({ site }, use) => {
    const opened: Array<{ extension?: ExtensionHarness; setup: PolicyBrowserSetup }> = [];
    try {
      await use(async (locale) => {
        const entry: { extension?: ExtensionHarness; setup: PolicyBrowserSetup } = {
          setup: preparePolicyBrowser({ handoff: { only: [], channels: [fixtureChannel(`${site.url}/official-form-12377.html`)] } }),
        };
        opened.push(entry);
        entry.extension = await ExtensionHarness.launch({ extensionDir: entry.setup.extensionDir, executablePath: POLICY_CHROMIUM, locale });
        return entry.extension;
      });
    } finally {
      for (const entry of opened) {
        await entry.extension?.close().catch(() => undefined);
        entry.setup.remove();
      }
    }
  },
});

test2(
  'hand-off: companion beside the form, Copy per field, Mark as submitted + case number in the workspace and the JSON export',
  async ({ policyExtension, site }) => {
    const extension = await policyExtension('en-US');
    const record = await seedReport(extension);
    // Reading the clipboard back is the test's; writing it, the companion's own (a user's click).
    await extension.context.grantPermissions(['clipboard-read', 'clipboard-write']);

    const workspace = await extension.context.newPage();
    await workspace.goto(extension.url('workspace.html'));
    await workspace.getByRole('button', { name: /^Details: / }).click();
    await workspace.getByRole('button', { name: 'Hand off to an official channel' }).click();
    // The companion opens in Chrome's side panel. Playwright does not drive side panels (they are
    // not pages of the context), so the panel is found among the browser's targets, and the same
    // page is then driven in a tab of its own.
    const panelUrl = extension.url(`handoff.html?reports=${record.id}`);
    await expect.poll(() => sidePanelUrls(workspace)).toContain(panelUrl);
    const companion = await extension.context.newPage();
    await companion.goto(panelUrl);
    await expect(companion.getByRole('heading', { level: 1 })).toHaveText('Hand off to an official channel');
    await expect(companion.getByText('Flagline never types into the form and never submits it')).toBeVisible();
    await expectNoAxeViolations(companion);

    // The one channel the policy offers; choosing it opens the form in a tab of its own.
    const formOpened = extension.context.waitForEvent('page', { predicate: (p) => p.url() === `${site.url}/official-form-12377.html` });
    await companion.getByRole('button', { name: 'Use 12377 web form (test copy)' }).click();
    const form = await formOpened;
    await expect(form.getByLabel('举报网址')).toBeVisible();
    await expectNoAxeViolations(companion);

    const clipboard = () => companion.evaluate(() => navigator.clipboard.readText());
    await companion.getByRole('button', { name: 'Copy 举报网址' }).click();
    await expect.poll(clipboard).toBe(POST_URL);
    await expect(companion.getByRole('status')).toHaveText('Copied: 举报网址');
    await companion.getByRole('button', { name: 'Copy 举报类型' }).click();
    await expect.poll(clipboard).toBe('谣言类');
    // Keyboard only: the next Copy is reached and pressed from the keyboard.
    await companion.getByRole('button', { name: 'Copy 举报内容' }).focus();
    await companion.keyboard.press('Enter');
    await expect
      .poll(clipboard)
      .toBe(
        [
          '【类别】谣言 — 涉灾情/突发事件谣言',
          `【网址】${POST_URL}`,
          '【页面标题】明天全市停水三天',
          `【发现时间】${record.report.createdAt.slice(0, 10)} ${record.report.createdAt.slice(11, 16)} (UTC${record.report.createdAt.slice(-6).replace('Z', '+00:00')})`,
          '【问题说明】声称明天全市停水三天，自来水公司已辟谣。',
          `（由清朗举报助手整理，报告编号 ${record.id}）`,
        ].join('\n'),
      );
    // No contact details in the report: nothing to copy, the user fills it in.
    await expect(companion.getByRole('button', { name: 'Copy 联系方式' })).toHaveCount(0);

    // Flagline never typed into the official form.
    for (const label of ['举报网址', '举报类型', '举报内容', '联系方式']) await expect(form.getByLabel(label)).toHaveValue('');

    // Save without ticking: told to tick first. Then, by keyboard: tick, case number, Save.
    await companion.getByRole('button', { name: 'Save' }).click();
    await expect(companion.getByRole('status')).toHaveText('Tick “Mark as submitted” once you have submitted the form.');
    await companion.getByRole('checkbox', { name: 'Mark as submitted' }).focus();
    await companion.keyboard.press('Space');
    await companion.keyboard.press('Tab');
    await expect(companion.getByRole('textbox', { name: 'Case number' })).toBeFocused();
    await companion.keyboard.type('JB-2026-000123');
    await companion.keyboard.press('Tab');
    await expect(companion.getByRole('button', { name: 'Save' })).toBeFocused();
    await companion.keyboard.press('Enter');
    await expect(companion.getByRole('status')).toHaveText('Recorded: handed off to 12377 web form (test copy).');

    // The workspace shows it (column and filter), and the JSON export carries it.
    await expect(workspace.getByText('Handed off to: 12377 web form (test copy)')).toBeVisible();
    await workspace.getByRole('combobox', { name: 'Handed off to' }).selectOption({ label: 'Not handed off' });
    await expect(workspace.getByText('Handed off to: 12377 web form (test copy)')).toHaveCount(0);
    await workspace.getByRole('combobox', { name: 'Handed off to' }).selectOption({ label: '12377 web form (test copy)' });
    await expect(workspace.getByText('Handed off to: 12377 web form (test copy)')).toBeVisible();
    const [download] = await Promise.all([workspace.waitForEvent('download'), workspace.getByRole('button', { name: 'Export JSON' }).click()]);
    const exported = JSON.parse(await streamText(await download.createReadStream()));
    expect(exported.reports.map((r: { id: string }) => r.id)).toEqual([record.id]);
    expect(exported.handoffs).toEqual([{ reportId: record.id, channel: 'fixture-12377-web', at: expect.any(String), caseNumber: 'JB-2026-000123' }]);
    const [stored] = await extension.records();
    expect(stored?.status).toBe('held');
    expect(stored?.ledger).toEqual([
      { at: expect.any(Number), endpoint: `${site.url}/official-form-12377.html`, outcome: 'handoff', channel: 'fixture-12377-web', receipt: 'JB-2026-000123' },
    ]);
  },
);

test2('the companion in Chinese passes axe and says what it will not do', async ({ policyExtension }) => {
  const extension = await policyExtension('zh-CN');
  const record = await seedReport(extension);
  const companion = await extension.context.newPage();
  await companion.goto(extension.url(`handoff.html?reports=${record.id}`));
  await expect(companion.getByRole('heading', { level: 1 })).toHaveText('交给官方举报渠道');
  await expect(companion.getByText('助手不会替你填写，也不会替你提交')).toBeVisible();
  await expectNoAxeViolations(companion);
  await companion.getByRole('button', { name: '使用「12377 网上举报（测试副本）」' }).click();
  await expect(companion.getByRole('button', { name: '复制「举报网址」' })).toBeVisible();
  await expectNoAxeViolations(companion);
});

/** Extension pages the browser shows that are not pages of the context: the side panel. */
export async function sidePanelUrls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const contextPages = new Set(
      page
        .context()
        .pages()
        .map((p) => p.url()),
    );
    return targetInfos.filter((t) => t.type === 'page' && !contextPages.has(t.url)).map((t) => t.url);
  } finally {
    await cdp.detach();
  }
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
