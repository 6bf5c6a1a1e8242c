import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startReceiver } from '../support/receiver';
import { waitForAll } from '../e2e/support/delivery';
import { waitForText } from './support/firefox';
import { useFirefox } from './support/suite';

/**
 * Delivery in Firefox, where the background is an event page (not a service worker): a flaky
 * endpoint while the background page is reloaded mid-flush. The e2e build retries after
 * fractions of a second (entrypoints/background.ts E2E_LIMITS); everything else is production.
 */
describe('Firefox: reliable delivery', () => {
  const suite = useFirefox();

  function expectExactlyOnce(ids: string[]) {
    const { receiver } = suite;
    const stored = receiver.reports().map((r) => r.id);
    assert.equal(new Set(stored).size, stored.length, 'no report stored twice');
    assert.deepEqual(stored.filter((id) => ids.includes(id)).sort(), [...ids].sort());
    assert.equal(receiver.conflicts(), 0, 'no id sent with two bodies');
  }

  test('30 reports through 5xx, resets, 429 and slow answers while the background page is reloaded mid-flush lose nothing', async () => {
    const { firefox, receiver } = suite;
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

describe('Firefox: an endpoint that is away, or refuses CORS', () => {
  // Each test points Firefox at its own endpoint; the suite's receiver serves the page reported.
  const suite = useFirefox({ setEndpoint: false });

  async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let value = await read();
    while (!done(value) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      value = await read();
    }
    return value;
  }

  test('reports made while the endpoint is unreachable are delivered when it is back', async () => {
    const { firefox, receiver: site } = suite;
    const probe = await startReceiver();
    const port = probe.port;
    await probe.close();
    await firefox.setEndpoint(`http://127.0.0.1:${port}/v1/reports`);
    const target = await firefox.openWebPage(`${site.url}/demo`);
    const tabId = await firefox.tabIdOf(target);
    const ids = await firefox.submitMany(tabId, 3, 'offline');
    const states = await poll(
      async () => (await firefox.records()).filter((r) => ids.includes(r.id)).map((r) => `${r.status}:${r.lastError?.kind}`),
      (s) => s.every((x) => x === 'waiting:network'),
    );
    assert.deepEqual(states, ['waiting:network', 'waiting:network', 'waiting:network']);
    const popup = await firefox.openPopup(tabId);
    await waitForText(popup, /could not be reached/);
    // The toolbar badge counts what waits, and clears once it is delivered.
    const badge = async () => (await firefox.entry()).evaluate(() => browser.action.getBadgeText({}));
    assert.equal(await poll(badge, (text) => text === '3'), '3');

    const back = await startReceiver({ port });
    try {
      await waitForAll(back, ids, 30_000);
      assert.deepEqual(
        back
          .reports()
          .map((r) => r.id)
          .sort(),
        [...ids].sort(),
      );
      assert.equal(back.conflicts(), 0);
      assert.equal(await poll(badge, (text) => text === ''), '');
    } finally {
      await back.close();
    }
  });

  test('an endpoint that does not answer CORS is told apart from an unreachable one, with an offer to allow access to its origin', async () => {
    const { firefox, receiver: site } = suite;
    // 127.0.0.2 is loopback but outside the e2e build's host access, so CORS applies — and
    // Firefox's error for a CORS refusal reads the same as for a network failure.
    const strict = await startReceiver({ host: '127.0.0.2', faults: { noCors: true } });
    try {
      await firefox.setEndpoint(strict.endpoint);
      const target = await firefox.openWebPage(`${site.url}/demo?cors`);
      const tabId = await firefox.tabIdOf(target);
      const [id] = await firefox.submitMany(tabId, 1, 'no cors');
      const kind = await poll(
        async () => (await firefox.records()).find((r) => r.id === id)?.lastError?.kind,
        (k) => k === 'cors',
      );
      assert.equal(kind, 'cors');
      assert.equal(strict.reports().length, 0);
      const popup = await firefox.openPopup(tabId);
      await waitForText(popup, /does not let this extension send to it/);
      const options = await firefox.openExtensionPage('options.html');
      await waitForText(options, /can be reached but does not allow this extension to send to it/);
      await waitForText(options, `Allow access to ${strict.url}`);
    } finally {
      await strict.close();
    }
  });
});

describe('Firefox: the background page suspended while reports wait', () => {
  // Firefox stops an idle event page after `extensions.background.idle.timeout` (30 s by default);
  // 0.2 s here, shorter than the e2e build's retry intervals, so the page stops between retries.
  const suite = useFirefox({ setEndpoint: false, prefs: { 'extensions.background.idle.timeout': 200 } });

  test('an alarm wakes the stopped background page, which delivers what waited once the endpoint is back', async () => {
    const { firefox, receiver: site } = suite;
    const startedAt = async () =>
      (await firefox.entry()).evaluate(async () => ((await browser.runtime.getBackgroundPage()) as unknown as Window).performance.timeOrigin);
    const probe = await startReceiver();
    const port = probe.port;
    await probe.close();
    await firefox.setEndpoint(`http://127.0.0.1:${port}/v1/reports`);
    const target = await firefox.openWebPage(`${site.url}/demo?suspended`);
    const ids = await firefox.submitMany(await firefox.tabIdOf(target), 3, 'suspended');
    const before = await startedAt();
    // Idle well past the timeout: Firefox stops the page; nothing here talks to it.
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const back = await startReceiver({ port });
    try {
      await waitForAll(back, ids, 30_000);
      assert.deepEqual(
        back
          .reports()
          .map((r) => r.id)
          .sort(),
        [...ids].sort(),
      );
      assert.equal(back.conflicts(), 0);
    } finally {
      await back.close();
    }
    assert.notEqual(await startedAt(), before, 'the background page was stopped and started again meanwhile');
  });
});

declare const browser: typeof import('wxt/browser').browser;
