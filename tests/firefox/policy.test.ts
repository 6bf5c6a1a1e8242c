import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resolve } from 'node:path';
import { startReceiver, type Receiver } from '../support/receiver';
import { startStaticServer, type StaticServer } from '../e2e/support/static-server';
import { clickButton, control, FirefoxHarness, submitReport, waitForText } from './support/firefox';
import { prepareFirefoxPolicy, type FirefoxPolicySetup } from './support/policy';

/** School deployment in Firefox: a real policies.json, read by Firefox at startup. */
describe('Firefox: managed policy (policies.json)', () => {
  let receiver: Receiver;
  let site: StaticServer;
  let setup: FirefoxPolicySetup | undefined;
  let firefox: FirefoxHarness | undefined;
  before(async () => {
    receiver = await startReceiver({ token: 'riverside-token-ff' });
    site = await startStaticServer(resolve('tests/fixtures'));
  });
  after(async () => {
    await firefox?.close();
    setup?.remove();
    await site?.close();
    await receiver?.close();
  });

  test('the policy endpoint and token deliver, the settings show them locked, the popup names the school; a changed policy applies at the next start', async () => {
    setup = prepareFirefoxPolicy({
      endpointUrl: receiver.endpoint,
      accessToken: 'riverside-token-ff',
      organizationName: 'Riverside School',
      supportUrl: 'https://help.riverside.example/flagline',
    });
    firefox = await FirefoxHarness.launch({ extensionDir: setup.extensionDir, addonId: setup.addonId });

    const options = await firefox.openExtensionPage('options.html');
    await waitForText(options, 'Managed by Riverside School');
    const endpoint = await control(options, 'Endpoint URL');
    assert.equal(await endpoint.evaluate((el) => (el as HTMLInputElement).value), receiver.endpoint);
    assert.equal(await endpoint.evaluate((el) => (el as HTMLInputElement).readOnly), true);
    const described = await endpoint.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    assert.match(described, /Set by Riverside School/);
    const token = await control(options, 'Access token');
    assert.equal(await token.evaluate((el) => (el as HTMLInputElement).readOnly), true);
    assert.notEqual(await token.evaluate((el) => (el as HTMLInputElement).value), 'riverside-token-ff');
    assert.equal(await options.$('[role="alert"]'), null, 'no problems reported for the administrator');
    // Typing into the locked field and saving keeps the school's endpoint.
    await endpoint.click();
    await options.keyboard.type('x');
    await clickButton(options, 'Save settings');
    await waitForText(options, 'Settings saved.');
    assert.equal(await endpoint.evaluate((el) => (el as HTMLInputElement).value), receiver.endpoint);

    const page = await firefox.openWebPage(`${site.url}/article.html?case=policy`);
    const popup = await firefox.openPopup(page);
    await waitForText(popup, 'Set up by Riverside School');
    const help = await popup.evaluate(() => [...document.querySelectorAll('a')].find((a) => a.textContent?.trim() === 'Get help from your organization')?.href);
    assert.equal(help, 'https://help.riverside.example/flagline');
    await submitReport(popup, { category: 'Rumor' });
    const stored = await receiver.waitForReport();
    assert.equal(stored.report.target.url, `${site.url}/article.html?case=policy`);
    assert.equal(receiver.requests.find((r) => r.reportIds.includes(stored.id))?.authorization, 'Bearer riverside-token-ff');
    await firefox.close();
    firefox = undefined;

    // The administrator changes the policy; Firefox reads policies.json when it starts.
    setup.write({ endpointUrl: receiver.endpoint, accessToken: 'riverside-token-ff', organizationName: 'Riverside District' });
    firefox = await FirefoxHarness.launch({ extensionDir: setup.extensionDir, addonId: setup.addonId });
    const again = await firefox.openExtensionPage('options.html');
    await waitForText(again, 'Managed by Riverside District');
  });

  test('an invalid policy value is ignored with a message for the administrator; the rest applies', async () => {
    await firefox?.close();
    setup?.remove();
    // Firefox applies no schema: Flagline's own check is what reports mistakes.
    setup = prepareFirefoxPolicy({
      endpointUrl: 'http://reports.hill-school.example/v1',
      batchSize: 'fifty',
      organizationName: 'Hill School',
      locked: ['allowScreenshots'],
    });
    firefox = await FirefoxHarness.launch({ extensionDir: setup.extensionDir, addonId: setup.addonId });
    const options = await firefox.openExtensionPage('options.html');
    await waitForText(options, 'Managed by Hill School');
    const alert = await options.waitForSelector('[role="alert"]');
    const text = await alert!.evaluate((el) => el.textContent ?? '');
    assert.match(text, /For your IT administrator: some policy settings were ignored/);
    assert.match(text, /endpointUrl/);
    assert.match(text, /batchSize/);
    const endpoint = await control(options, 'Endpoint URL');
    assert.equal(await endpoint.evaluate((el) => (el as HTMLInputElement).readOnly), false);
    const screenshots = await control(options, 'Allow screenshots as evidence');
    assert.deepEqual(await screenshots.evaluate((el) => [(el as HTMLInputElement).disabled, (el as HTMLInputElement).checked]), [true, true]);
  });
});
