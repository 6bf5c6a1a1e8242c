import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolve } from 'node:path';
import type { ElementHandle } from 'puppeteer-core';
import { clickButton, control, fill, waitForText } from './support/firefox';
import { useFirefox } from './support/suite';

/** The settings page in Firefox: a school's configuration file, from a file and from a link. */
describe('Firefox: settings and provisioning', () => {
  const suite = useFirefox();

  test('a configuration file chosen from disk previews and applies; one from a link previews and cancels', async () => {
    const { firefox, site } = suite;
    const options = await firefox.openExtensionPage('options.html');
    const endpoint = async () => (await control(options, 'Endpoint URL')).evaluate((el) => (el as HTMLInputElement).value);
    const before = await endpoint();

    // From a link: the preview masks the token; Cancel changes nothing.
    await fill(options, 'Configuration link', `${site.url}/flagline-provisioning.json`);
    await clickButton(options, 'Load from link');
    const preview = await waitForText(options, 'Configuration from Lake School would change:');
    assert.ok(preview.includes('https://reports.lake-school.example/v1/reports'));
    assert.ok(!preview.includes('lake-token-from-link'), 'the token is masked');
    await clickButton(options, 'Cancel');
    await waitForText(options, 'Import cancelled. Nothing was changed.');
    assert.equal(await endpoint(), before);

    // From a file on disk, through the file chooser's input.
    const input = (await control(options, 'Configuration file')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(resolve('tests/fixtures/flagline-provisioning.json'));
    await waitForText(options, 'Configuration from Lake School would change:');
    await clickButton(options, 'Apply');
    await waitForText(options, 'Configuration imported. Settings saved.');
    assert.equal(await endpoint(), 'https://reports.lake-school.example/v1/reports');
    const stored = (await firefox.rows('keyValue')) as Array<{ key: string; value: unknown }>;
    assert.ok(JSON.stringify(stored).includes('office@lake-school.example'), 'the contact was saved');
  });
});
