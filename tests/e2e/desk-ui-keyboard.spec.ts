import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium } from '../../scripts/chromium';
import { ensureDeskUi } from '../../scripts/desk-ui.mjs';
import { freePort } from '../../scripts/free-port';
import { runCli, serveDesk, type DeskProcess } from '../desk/support/child';
import { wireReport } from '../support/wire-reports';

/**
 * The Desk's interface by keyboard alone, in plain Chromium against a real Desk: sign in, reach a
 * report from the queue, decide, sign out — every step with Tab, Enter and the arrow keys, the
 * focus always visible and moved to the new screen's heading after each change of address.
 */

const USER = { email: 'keys@school.example', password: 'keyboard password 1' };
const TITLE = '停水通知 — keyboard';

let browser: Browser;
let desk: DeskProcess;
let dataDir: string;

test.beforeAll(async () => {
  await ensureDeskUi();
  dataDir = mkdtempSync(join(tmpdir(), 'flagline-e2e-desk-keys-'));
  const port = await freePort();
  const channel = JSON.parse(runCli(['channel', 'create', '--name', 'Keys', '--port', String(port), '--data', dataDir]).stdout) as {
    token: string;
    endpoint: string;
  };
  expect(runCli(['user', 'create', '--email', USER.email, '--role', 'reviewer', '--password-stdin', '--data', dataDir], `${USER.password}\n`).status).toBe(0);
  desk = await serveDesk(['--data', dataDir], port);
  const report = await wireReport({ url: 'https://weibo.example/post/keys' });
  report.target.title = TITLE;
  const posted = await fetch(channel.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${channel.token}` },
    body: JSON.stringify({ reports: [report] }),
  });
  expect(posted.status).toBe(200);
  browser = await chromium.launch({ executablePath: findChromium().path, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

test.afterAll(async () => {
  await browser?.close();
  desk?.child.kill('SIGTERM');
  await desk?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

/** What has focus, by its accessible role and name as a keyboard user would hear it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return '';
    const label = element.closest('label')?.firstChild?.textContent?.trim() ?? element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '';
    return `${element.tagName.toLowerCase()}:${label}`;
  });

/** Presses Tab (or `key`) until `want` has focus (at most `limit` times), checking each stop shows its focus. */
async function tabTo(page: Page, want: string, key = 'Tab', limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const outline = await page.evaluate(() => {
      const element = document.activeElement;
      return element ? getComputedStyle(element).outlineStyle : 'none';
    });
    expect(outline, `visible focus on ${await focused(page)}`).not.toBe('none');
    if ((await focused(page)) === want) return;
  }
  throw new Error(`Tab never reached ${want}; last: ${await focused(page)}`);
}

test('sign in, open a report from the queue, decide and sign out by keyboard alone', async () => {
  const page = await browser.newPage({ locale: 'en-US' });
  await page.goto(desk.url);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  await tabTo(page, 'input:Email');
  await page.keyboard.type(USER.email);
  await tabTo(page, 'input:Password');
  await page.keyboard.type(USER.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeFocused();

  await tabTo(page, `a:${TITLE}`);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeFocused();

  await tabTo(page, 'select:Status');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('in_review');
  await tabTo(page, 'textarea:Public note');
  await page.keyboard.type('We are looking into it.');
  await tabTo(page, 'button:Save');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  await tabTo(page, 'a:Back to the queue', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeFocused();
  await expect(page.getByRole('row').filter({ hasText: TITLE }).getByRole('cell').nth(4)).toHaveText('In review');

  await tabTo(page, 'button:Sign out', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
