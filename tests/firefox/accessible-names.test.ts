import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { waitForText } from './support/firefox';
import { useFirefox } from './support/suite';

/**
 * DESIGN.md's UI contract, as Firefox's accessibility tree names it (found through WebDriver
 * BiDi's accessibility locator, as assistive technology would): each name finds exactly one
 * control of the right kind.
 */
describe("Firefox: the UI contract's accessible names", () => {
  const suite = useFirefox({ setEndpoint: false });

  /** The elements Firefox names `name` (with `role`, when given), as tag[:type]. */
  async function named(page: Page, name: string, role?: string): Promise<string[]> {
    const handles = await page.$$(`::-p-aria([name="${name}"]${role ? `[role="${role}"]` : ''})`);
    return Promise.all(handles.map((h) => h.evaluate((el) => el.tagName.toLowerCase() + (el.getAttribute('type') ? `:${el.getAttribute('type')}` : ''))));
  }

  test('popup and settings', async () => {
    const { firefox, receiver } = suite;
    const popup = await firefox.openPopup(await firefox.openWebPage(`${receiver.url}/demo`));
    await waitForText(popup, 'Submit report');
    for (const category of ['Rumor', 'Cyberviolence', 'Harmful to minors']) assert.deepEqual(await named(popup, category, 'radio'), ['input:radio'], category);
    assert.deepEqual(await named(popup, 'Explanation', 'textbox'), ['textarea']);
    assert.deepEqual(await named(popup, 'Submit report', 'button'), ['button:submit']);
    assert.deepEqual(await named(popup, 'Select on page', 'button'), ['button:button']);
    assert.deepEqual(await named(popup, 'Open workspace', 'button'), ['button:button']);

    const options = await firefox.openExtensionPage('options.html');
    await waitForText(options, 'Save settings');
    assert.deepEqual(await named(options, 'Endpoint URL', 'textbox'), ['input:url']);
    // Firefox gives password fields no ARIA role; the name finds the field (and its label's text).
    assert.deepEqual(
      (await named(options, 'Access token')).filter((t) => t !== 'label'),
      ['input:password'],
    );
    assert.deepEqual(
      (await named(options, 'Signing secret')).filter((t) => t !== 'label'),
      ['input:password'],
    );
    assert.deepEqual(await named(options, 'Save settings', 'button'), ['button:submit']);
  });
});
