import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReceiver } from '../../../tests/support/receiver';
import { E2E_BUILD, ExtensionHarness, submitReport } from '../../../tests/e2e/support/extension';
import { median, sample, type Figure } from '../harness';

/**
 * An empty extension page with one button, marking `flagline:ready` from its one module script:
 * the floor any extension page opened the same way pays (process, navigation, a script). Written
 * into the unpacked test build for the bench only; never part of a build.
 */
async function writeBlankPage(dir: string): Promise<string> {
  await writeFile(
    join(dir, 'bench-blank.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/bench-blank.js"></script></head><body><button type="button">Submit report</button></body></html>\n',
  );
  await writeFile(join(dir, 'bench-blank.js'), "performance.mark('flagline:ready');\n");
  return 'bench-blank.html';
}

/**
 * `popup.readyMs`: popup navigation start → form interactive (the popup's `flagline:ready` mark):
 *   its first screen, in popup.html since the build, filled in in the browser's language and
 *   watched, so what the user chooses, types or presses is kept (utils/ui/first-screen.ts).
 * `popup.liveMs`: the same start → the live popup, drawn from the background's answers (the tab,
 *   the settings, policy and outbox), has taken the first screen's place (`flagline:live`).
 * `popup.blankPageMs`: the same for an empty extension page with one button, opened the same way
 * in the same run (the floor: issue 19's goal is readyMs ≤ 1.5 × this).
 * `deliver.savedToSentMs`: click on Submit report → the receiver has the report.
 */
export async function measurePopup(runs = 15): Promise<Figure[]> {
  const receiver = await startReceiver();
  const blank = await writeBlankPage(E2E_BUILD);
  const extension = await ExtensionHarness.launch();
  try {
    await extension.setEndpoint(receiver.endpoint);
    const target = await extension.context.newPage();
    await target.goto(`${receiver.url}/demo`);
    const tabId = await extension.tabIdOf(target);

    // Alternately, so that both meet the machine in the same state.
    const ready: number[] = [];
    const live: number[] = [];
    const blankReady: number[] = [];
    await sample(runs, async (i) => {
      const popup = await extension.openPopup(tabId);
      await popup.getByRole('button', { name: 'Submit report' }).waitFor();
      const readyAt = await popup.evaluate(() => performance.getEntriesByName('flagline:ready')[0]?.startTime ?? NaN);
      await popup.waitForFunction(() => performance.getEntriesByName('flagline:live').length > 0);
      const liveAt = await popup.evaluate(() => performance.getEntriesByName('flagline:live')[0]?.startTime ?? NaN);
      await popup.close();

      const page = await extension.context.newPage();
      await page.goto(extension.url(blank));
      await page.getByRole('button', { name: 'Submit report' }).waitFor();
      const blankAt = await page.evaluate(() => performance.getEntriesByName('flagline:ready')[0]?.startTime ?? NaN);
      await page.close();
      // The warm-up round (i < 0) is not recorded.
      if (i >= 0) {
        ready.push(readyAt);
        live.push(liveAt);
        blankReady.push(blankAt);
      }
      return readyAt;
    });

    const delivered = await sample(Math.ceil(runs / 2), async (i) => {
      const popup = await extension.openPopup(tabId);
      await popup.getByRole('button', { name: 'Submit report' }).waitFor();
      const explanation = `bench ${i} ${Date.now()}`;
      const arrived = receiver.waitForReport((r) => r.report.explanation === explanation, 30_000);
      const start = performance.now();
      await submitReport(popup, { category: 'Rumor', explanation });
      await arrived;
      const ms = performance.now() - start;
      await popup.close();
      return ms;
    });

    return [
      { key: 'popup.readyMs', unit: 'ms', runs: ready, target: `≤ 1.5 × blank (${(1.5 * median(blankReady)).toFixed(0)})` },
      { key: 'popup.liveMs', unit: 'ms', runs: live },
      { key: 'popup.blankPageMs', unit: 'ms', runs: blankReady },
      { key: 'deliver.savedToSentMs', unit: 'ms', runs: delivered },
    ];
  } finally {
    await extension.close();
    await receiver.close();
  }
}
