import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startReceiver, type Receiver } from '../../scripts/receiver/server';
import { waitForAll } from '../e2e/support/delivery';
import { FirefoxHarness } from './support/firefox';

/**
 * Delivery in Firefox, where the background is an event page (not a service worker): a flaky
 * endpoint while the background page is reloaded mid-flush. The e2e build retries after
 * fractions of a second (entrypoints/background.ts E2E_LIMITS); everything else is production.
 */
describe('Firefox: reliable delivery', () => {
  let receiver: Receiver;
  let firefox: FirefoxHarness;
  before(async () => {
    receiver = await startReceiver();
    firefox = await FirefoxHarness.launch();
    await firefox.setEndpoint(receiver.endpoint);
  });
  after(async () => {
    await firefox?.close();
    await receiver?.close();
  });

  function expectExactlyOnce(ids: string[]) {
    const stored = receiver.reports().map((r) => r.id);
    assert.equal(new Set(stored).size, stored.length, 'no report stored twice');
    assert.deepEqual(stored.filter((id) => ids.includes(id)).sort(), [...ids].sort());
    assert.equal(receiver.conflicts(), 0, 'no id sent with two bodies');
  }

  test('30 reports through 5xx, resets, 429 and slow answers while the background page is reloaded mid-flush lose nothing', async () => {
    Object.assign(receiver.faults, { seed: 11, error5xxRate: 0.2, resetRate: 0.2, throttleRate: 0.15, retryAfterSeconds: 1, delayMs: 150 });
    const target = await firefox.openWebPage(`${receiver.url}/demo`);
    const tabId = await firefox.tabIdOf(target);
    const ids = await firefox.submitMany(tabId, 30, 'firefox fault run');

    let reloads = 0;
    await waitForAll(receiver, ids, 90_000, async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      // Reload the whole add-on (background page included) while a flush is under way.
      if (reloads < 4 && receiver.reports().length < ids.length) {
        await firefox.reloadExtension();
        reloads++;
      }
    });
    assert.ok(reloads >= 1, 'the background was reloaded at least once mid-flush');
    expectExactlyOnce(ids);
    const faults = receiver.faultCounts;
    assert.ok(faults.error5xx + faults.reset + faults.throttle > 0, 'the endpoint misbehaved');
    const deadline = Date.now() + 15_000;
    let sent = 0;
    while (Date.now() < deadline && (sent = (await firefox.records()).filter((r) => r.status === 'sent').length) < 30) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(sent, 30, 'every report is marked sent in the extension');
  });
});
