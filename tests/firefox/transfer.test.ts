import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'puppeteer-core';
import { ExtensionHarness } from '../e2e/support/extension';
import { BundleManifest } from '../../utils/workspace/bundle';
import type { ReportRecord } from '../../utils/schema/record';
import { check, clickButton, FIREFOX_CAPTURE_BUILD, FirefoxHarness, submitReport, waitForText } from './support/firefox';
import { useFirefox } from './support/suite';

/**
 * What must survive the trip, as JSON: a stored record may hold a property set to `undefined`
 * (an absent sub-reason, say) that a JSON export rightly leaves out (Playwright's `toEqual` in the
 * Chromium spec ignores those too).
 */
const comparable = (records: ReportRecord[]) =>
  JSON.parse(JSON.stringify(records.map(({ id, report, status, receipt }) => ({ id, report, status, receipt })).sort((a, b) => a.id.localeCompare(b.id))));

/** A file the browser saved into `dir` (Firefox downloads there without asking, by the prefs below). */
async function savedFile(dir: string, pattern: RegExp, timeoutMs = 15_000): Promise<{ name: string; bytes: Buffer }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const name = (await readdir(dir)).find((n) => pattern.test(n));
    if (name) {
      // Firefox writes to a .part file and renames it when complete.
      const bytes = await readFile(join(dir, name));
      if (bytes.length > 0) return { name, bytes };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no download matching ${pattern} in ${dir}: ${(await readdir(dir)).join(', ')}`);
}

describe('Firefox: export from the workspace, import into Chromium', () => {
  const downloads = mkdtempSync(join(tmpdir(), 'flagline-ff-downloads-'));
  after(async () => {
    await rm(downloads, { recursive: true, force: true });
  });
  const suite = useFirefox({
    extensionDir: FIREFOX_CAPTURE_BUILD,
    // Firefox saves downloads into `downloads` without asking.
    prefs: {
      'browser.download.folderList': 2,
      'browser.download.dir': downloads,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.start_downloads_in_tmp_dir': false,
    },
  });

  async function reportFromPopup(url: string, choice: Parameters<typeof submitReport>[1], confirmation: string) {
    const { firefox } = suite;
    const page = await firefox.openWebPage(url);
    const popup = await firefox.openPopup(page);
    await submitReport(popup, choice);
    await waitForText(popup, confirmation);
    await popup.close();
    await page.close();
  }

  test('a ZIP bundle with a sent report and a held pick with screenshots imports into Chromium intact', async () => {
    const { firefox, receiver, site } = suite;
    await reportFromPopup(
      `${site.url}/article.html?case=ff-export-sent`,
      { category: 'Rumor', explanation: '已发送的举报, with "quotes"\n第二行' },
      'Report sent',
    );

    const options = await firefox.openExtensionPage('options.html');
    await check(options, 'Hold reports for review before sending');
    await clickButton(options, 'Save settings');
    await waitForText(options, 'Settings saved.');
    await options.close();

    // A pick with its screenshots, held for review.
    const page = await firefox.openWebPage(`${site.url}/article.html?case=ff-export-pick`);
    const popup = await firefox.openPopup(page);
    await clickButton(popup, 'Select on page');
    await page.waitForSelector('flagline-picker');
    await popup.close();
    await page.bringToFront();
    const before = new Set(await firefox.browser.pages());
    const box = (await (await page.$('article h1'))!.boundingBox())!;
    await page.mouse.move(box.x + 4, box.y + 4, { steps: 2 });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.mouse.click(box.x + 4, box.y + 4);
    const form: Page = await FirefoxHarness.waitForPage(firefox.browser, firefox.url('report.html'), before, 20_000);
    await submitReport(form, { category: 'Harmful to minors', reason: 'Gambling and online loans', explanation: '待检查' });
    await waitForText(form, 'Saved for review');

    const original = await firefox.records();
    assert.deepEqual(original.map((r) => r.status).sort(), ['held', 'sent']);
    assert.equal(original.find((r) => r.status === 'held')?.report.evidence?.artifacts.length, 3);

    const workspace = await firefox.openExtensionPage('workspace.html');
    await waitForText(workspace, 'Flagline workspace');
    await clickButton(workspace, 'Export evidence bundle (ZIP)');
    const zip = await savedFile(downloads, /^flagline-reports-\d{8}-\d{4}\.zip$/);
    const files = unzipSync(new Uint8Array(zip.bytes));
    const manifest = BundleManifest.parse(JSON.parse(strFromU8(files['manifest.json']!)));
    assert.deepEqual(manifest.reports.map((r) => r.report.id).sort(), original.map((r) => r.id).sort());

    const chromium = await ExtensionHarness.launch();
    try {
      const target = await chromium.context.newPage();
      await target.goto(chromium.url('workspace.html'));
      await target.getByRole('heading', { name: 'Flagline workspace' }).waitFor();
      await target.getByLabel('Import file').setInputFiles({ name: zip.name, mimeType: 'application/zip', buffer: zip.bytes });
      // The import re-checks every evidence hash before it writes anything.
      await target.getByText('2 reports imported, 0 already here (skipped).').waitFor({ timeout: 15_000 });
      assert.deepEqual(comparable(await chromium.records()), comparable(original));
      const sent = (await chromium.records()).find((r) => r.status === 'sent');
      assert.equal(sent?.receipt, receiver.reports()[0]?.receipt);
    } finally {
      await chromium.close();
    }
  });

  test('the popup opens the workspace, where Submit selected sends the held report', async () => {
    const { firefox, receiver, site } = suite;
    const page = await firefox.openWebPage(`${site.url}/article.html?case=ff-open-workspace`);
    const popup = await firefox.openPopup(page);
    const before = new Set(await firefox.browser.pages());
    await clickButton(popup, 'Open workspace');
    const workspace = await FirefoxHarness.waitForPage(firefox.browser, firefox.url('workspace.html'), before);
    await waitForText(workspace, 'Held for review');
    const held = (await firefox.records()).find((r) => r.status === 'held')!;
    assert.equal(
      receiver.reports().some((r) => r.id === held.id),
      false,
    );

    await check(workspace, 'Select all matching');
    await waitForText(workspace, '2 selected');
    await clickButton(workspace, 'Submit selected');
    const stored = await receiver.waitForReport((r) => r.id === held.id);
    assert.equal(stored.report.explanation, '待检查');
    assert.equal(stored.evidenceCheck?.ok, true, "the held pick's evidence verifies at the receiver");
    assert.equal(receiver.reports().length, 2, 'the report sent before is not sent again');
  });
});
