/**
 * The reviewers' interface (issue "Flagline Desk, part 2"):
 *
 * - `desk.uiReadyMs`: in Chromium, from pressing `Sign in` on the sign-in screen to the queue's
 *   first page (50 rows) on screen, against a Desk (its command line, on SQLite) holding 1,000
 *   reports. A fresh browser context each run (no session, nothing cached but what the HTTP cache
 *   would hold after the sign-in screen loaded). Goal ≤ 500 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { findChromium } from '../../chromium';
import { ensureDeskUi } from '../../desk-ui.mjs';
import { freePort } from '../../free-port';
import { runCli, serveDesk } from '../../../tests/desk/support/child';
import { wireReport } from '../../../tests/support/wire-reports';
import { sample, type Figure } from '../harness';

const REPORTS = 1_000;
const BATCH = 100;
const USER = { email: 'bench@school.example', password: 'bench password 1' };

export async function measureDeskUi(runs = 10): Promise<Figure[]> {
  await ensureDeskUi();
  const dataDir = mkdtempSync(join(tmpdir(), 'flagline-bench-desk-ui-'));
  const port = await freePort();
  const channel = JSON.parse(runCli(['channel', 'create', '--name', 'bench', '--port', String(port), '--data', dataDir]).stdout) as {
    token: string;
    endpoint: string;
  };
  const created = runCli(['user', 'create', '--email', USER.email, '--role', 'reviewer', '--password-stdin', '--data', dataDir], `${USER.password}\n`);
  if (created.status !== 0) throw new Error(`bench user not created: ${created.stderr}`);
  const desk = await serveDesk(['--data', dataDir], port);
  const browser = await chromium.launch({ executablePath: findChromium().path, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    for (let start = 0; start < REPORTS; start += BATCH) {
      const reports = await Promise.all(
        Array.from({ length: BATCH }, (_, i) => wireReport({ url: `https://weibo.example/post/${start + i}`, explanation: `bench ${start + i}: 谣言` })),
      );
      const response = await fetch(channel.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${channel.token}` },
        body: JSON.stringify({ reports }),
      });
      if (response.status !== 200) throw new Error(`bench reports not accepted: ${response.status}`);
    }
    const ready = await sample(runs, async () => {
      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(desk.url);
      await page.getByRole('textbox', { name: 'Email' }).fill(USER.email);
      await page.getByLabel('Password').fill(USER.password);
      const button = page.getByRole('button', { name: 'Sign in' });
      await button.waitFor();
      // Timed in the page: from the click's event to the 50th row on screen.
      await page.evaluate(() => {
        const marks = window as unknown as { signInAt?: number };
        document.querySelector('button[type=submit]')?.addEventListener('click', () => (marks.signInAt = performance.now()), { capture: true });
      });
      await button.click();
      await page.locator('table.queue tbody tr').nth(49).waitFor();
      const elapsed = await page.evaluate(() => performance.now() - ((window as unknown as { signInAt?: number }).signInAt ?? 0));
      await context.close();
      return elapsed;
    });
    return [{ key: 'desk.uiReadyMs', unit: 'ms', runs: ready, target: '≤ 500' }];
  } finally {
    await browser.close();
    desk.child.kill('SIGTERM');
    await desk.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}
