import { expect, test } from './support/fixtures';
import { submitReport } from './support/extension';
import { startReceiver } from '../support/receiver';

test.describe('reporting a page from the popup', () => {
  test('arrives at the receiver exactly once with the tab URL, title, category and explanation', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=once`);
    const popup = await extension.openPopup(page);

    await expect(popup.getByText('惊爆！专家称喝盐水可预防病毒 — 示例新闻')).toBeVisible();
    await expect(popup.getByText(`${site.url}/article.html?case=once`)).toBeVisible();
    await submitReport(popup, { category: 'Rumor', reason: 'Health or public-safety rumor', explanation: '伪科学，误导公众' });

    const stored = await receiver.waitForReport();
    expect(stored.report).toMatchObject({
      category: 'rumor',
      subReason: 'health_safety',
      explanation: '伪科学，误导公众',
      target: { kind: 'page', url: `${site.url}/article.html?case=once`, title: '惊爆！专家称喝盐水可预防病毒 — 示例新闻' },
      goodFaith: { accepted: true },
    });
    await expect(popup.getByText(`Report sent. Thank you. Receipt: ${stored.receipt}`)).toBeVisible();

    // Opening the popup again flushes the outbox: the sent report must not be sent twice.
    const again = await extension.openPopup(page);
    await expect(again.locator('[data-state="sent"] dd')).toHaveText('1');
    await again.getByRole('button', { name: 'Submit report' }).waitFor();
    expect(receiver.reports()).toHaveLength(1);
    expect(receiver.requests.filter((r) => r.reportIds.includes(stored.id))).toHaveLength(1);
    expect(receiver.conflicts()).toBe(0);
    const [record] = await extension.records();
    expect(record).toMatchObject({ status: 'sent', receipt: stored.receipt, attempts: 1 });
  });

  test('the reported URL and title are the browser tab record at submit time', async ({ extension, receiver, site }) => {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=forge`);
    const popup = await extension.openPopup(page);
    await popup.getByRole('button', { name: 'Submit report' }).waitFor();
    // The page rewrites its address (same-origin) and title after the popup opened: the report
    // must carry what the browser's tab record says at submit time, nothing the page claims elsewhere.
    await page.evaluate(() => {
      history.replaceState(null, '', '/article.html?case=forge-rewritten');
      document.title = 'Rewritten by the page';
    });
    await submitReport(popup, { category: 'Cyberviolence' });
    const stored = await receiver.waitForReport();
    expect(stored.report.target).toEqual({ kind: 'page', url: `${site.url}/article.html?case=forge-rewritten`, title: 'Rewritten by the page' });
  });

  test('a browser page cannot be reported and says so', async ({ extension }) => {
    const page = await extension.context.newPage();
    await page.goto('chrome://version');
    const popup = await extension.openPopup(page);
    await expect(popup.getByRole('heading', { name: "This page can't be reported" })).toBeVisible();
    // Chromium does not disclose a browser page's address to an extension at all.
    await expect(popup.getByText(/Pages of the browser itself/)).toBeVisible();
    await expect(popup.getByRole('button', { name: 'Submit report' })).toHaveCount(0);
  });
});

test.describe('delivery that never loses a report', () => {
  test('with the endpoint down the report waits, and is delivered once the endpoint is back', async ({ extension, site }) => {
    // Reserve a port, then leave nothing listening on it.
    const probe = await startReceiver();
    const port = probe.port;
    await probe.close();
    await extension.setEndpoint(`http://127.0.0.1:${port}/v1/reports`);

    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=down`);
    const popup = await extension.openPopup(page);
    await submitReport(popup, { category: 'Harmful to minors', explanation: 'waits for the endpoint' });
    await expect(popup.getByText(/saved on this computer/)).toBeVisible();
    await expect(popup.getByText(/could not be reached/).first()).toBeVisible();
    expect((await extension.records())[0]).toMatchObject({ status: 'waiting', lastError: { kind: 'network' } });

    const receiver = await startReceiver({ port });
    try {
      // No user action: the outbox alarm retries on its own.
      const stored = await receiver.waitForReport(() => true, 60_000);
      expect(stored.report.explanation).toBe('waits for the endpoint');
      await expect(popup.getByText(/Report sent\. Thank you\./)).toBeVisible();
      expect(receiver.reports()).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  test('after the service worker is stopped mid-delivery nothing is lost or duplicated', async ({ extension, receiver, site }) => {
    // The receiver stores the report but answers late, so the worker dies before the acknowledgement.
    receiver.faults.delayMs = 10_000;
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=stopped`);
    const popup = await extension.openPopup(page);
    await submitReport(popup, { category: 'Rumor', explanation: 'survives a stopped worker' });
    await expect.poll(() => receiver.requests.length).toBe(1);
    await extension.stopServiceWorker();
    // In flight when the worker died: still waiting, named by the dead worker's batch lease.
    const [inFlight] = await extension.records();
    expect(inFlight?.status).toBe('waiting');
    expect((await extension.leases()).flatMap((lease) => lease.reports.map((r) => r.id))).toEqual([inFlight?.id]);
    receiver.faults.delayMs = 0;

    // A new worker (woken by the watchdog alarm) takes the abandoned lease back and resends the
    // same id and body; the receiver answers `duplicate` and the report counts as sent.
    await expect.poll(async () => (await extension.records())[0]?.status, { timeout: 60_000 }).toBe('sent');
    expect(receiver.reports()).toHaveLength(1);
    expect(receiver.conflicts()).toBe(0);
    expect(receiver.requests.length).toBeGreaterThanOrEqual(2);
    await expect(popup.getByText(/Report sent\. Thank you\./)).toBeVisible();
  });

  test('a report waiting when the browser closes is delivered after the browser restarts', async ({ site }) => {
    const { ExtensionHarness } = await import('./support/extension');
    const probe = await startReceiver();
    const port = probe.port;
    await probe.close();

    const first = await ExtensionHarness.launch();
    await first.setEndpoint(`http://127.0.0.1:${port}/v1/reports`);
    const page = await first.context.newPage();
    await page.goto(`${site.url}/article.html?case=restart`);
    const popup = await first.openPopup(page);
    await submitReport(popup, { category: 'Cyberviolence', explanation: 'across a restart' });
    await expect(popup.getByText(/saved on this computer/)).toBeVisible();
    await first.close({ keepProfile: true });

    const receiver = await startReceiver({ port });
    const second = await ExtensionHarness.launch({ userDataDir: first.userDataDir });
    try {
      const stored = await receiver.waitForReport(() => true, 60_000);
      expect(stored.report.explanation).toBe('across a restart');
      await expect.poll(async () => (await second.records())[0]?.status).toBe('sent');
    } finally {
      await second.close();
      await receiver.close();
      const { rm } = await import('node:fs/promises');
      await rm(first.userDataDir, { recursive: true, force: true });
    }
  });
});
