import { startReceiver } from '../../../tests/support/receiver';
import { ExtensionHarness, submitReport } from '../../../tests/e2e/support/extension';
import { sample, type Figure } from '../harness';

/**
 * `popup.readyMs`: popup navigation start → form interactive (the popup's `flagline:ready` mark).
 * `deliver.savedToSentMs`: click on Submit report → the receiver has the report.
 */
export async function measurePopup(runs = 15): Promise<Figure[]> {
  const receiver = await startReceiver();
  const extension = await ExtensionHarness.launch();
  try {
    await extension.setEndpoint(receiver.endpoint);
    const target = await extension.context.newPage();
    await target.goto(`${receiver.url}/demo`);
    const tabId = await extension.tabIdOf(target);

    const ready = await sample(runs, async () => {
      const popup = await extension.openPopup(tabId);
      await popup.getByRole('button', { name: 'Submit report' }).waitFor();
      const ms = await popup.evaluate(() => performance.getEntriesByName('flagline:ready')[0]?.startTime ?? NaN);
      await popup.close();
      return ms;
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
      { key: 'popup.readyMs', unit: 'ms', runs: ready },
      { key: 'deliver.savedToSentMs', unit: 'ms', runs: delivered },
    ];
  } finally {
    await extension.close();
    await receiver.close();
  }
}
