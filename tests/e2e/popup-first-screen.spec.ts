import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';
import type { Page } from '@playwright/test';
import { PRODUCTION_BUILD, type ExtensionHarness } from './support/extension';

test('the production popup.html carries the form itself, category first, and the script that makes it usable', async () => {
  const html = await readFile(join(PRODUCTION_BUILD, 'popup.html'), 'utf8');
  const app = html.slice(html.indexOf('<div id="app">'));
  for (const id of ['category-rumor', 'category-cyberviolence', 'category-minors', 'explanation']) expect(app).toContain(`id="${id}"`);
  expect(app.indexOf('id="category-rumor"')).toBeLessThan(app.indexOf('type="submit"'));
  expect(html).toContain('<script src="/first-screen.js" async');
});

const STANDING = /By submitting you confirm, as you did before on this device/;

/**
 * The popup for a tab with every message to the background held until the test lets them go
 * (`releaseMessages()` in the page): it can show only its first screen meanwhile.
 */
async function openHeldPopup(extension: ExtensionHarness, tabId: number): Promise<Page> {
  const popup = await extension.context.newPage();
  await popup.addInitScript(() => {
    const runtime = chrome.runtime as { sendMessage: (...args: unknown[]) => Promise<unknown> };
    const send = runtime.sendMessage.bind(runtime);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    (window as unknown as { releaseMessages: () => void }).releaseMessages = release;
    runtime.sendMessage = (...args: unknown[]) => held.then(() => send(...args));
  });
  await popup.goto(extension.url(`popup.html?tabId=${tabId}`));
  return popup;
}

test('what is done on the first screen before the background has answered is kept, and the live popup submits it', async ({ extension, receiver, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html?case=first-screen`);
  const tabId = await extension.tabIdOf(page);
  const popup = await openHeldPopup(extension, tabId);
  // The first screen is a page of its own for a moment: it passes axe, in the browser's language.
  await expect(popup.locator('html')).toHaveAttribute('lang', 'en');
  const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
  expect((await new AxeBuilder({ page: popup }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
  // A new profile: the first screen does not claim the good-faith statement stands.
  await expect(popup.getByText(STANDING)).toHaveCount(0);

  await popup.getByRole('radio', { name: 'Cyberviolence' }).check();
  await popup.getByRole('textbox', { name: 'Explanation' }).fill('点名羞辱一名学生');
  await popup.getByRole('button', { name: 'Submit report' }).click();
  // Still the first screen: nothing has reached the background or the receiver.
  expect(await popup.evaluate(() => performance.getEntriesByName('flagline:live').length)).toBe(0);
  expect(await popup.evaluate(() => performance.getEntriesByName('flagline:ready').length)).toBe(1);
  expect(receiver.reports()).toHaveLength(0);

  await popup.evaluate(() => (window as unknown as { releaseMessages: () => void }).releaseMessages());
  // A new profile's first report needs the tick: the live popup asks for it, with the choice and
  // the text kept, and the tick in focus.
  const tick = popup.getByRole('checkbox', { name: /good faith/ });
  await expect(tick).toBeFocused();
  await expect(popup.getByRole('radio', { name: 'Cyberviolence' })).toBeChecked();
  await expect(popup.getByRole('textbox', { name: 'Explanation' })).toHaveValue('点名羞辱一名学生');
  await tick.check();
  await popup.getByRole('button', { name: 'Submit report' }).click();
  const stored = await receiver.waitForReport();
  expect(stored.report).toMatchObject({
    category: 'cyberviolence',
    explanation: '点名羞辱一名学生',
    target: { url: `${site.url}/article.html?case=first-screen` },
  });

  // Accepted now: once the live popup has heard so (it asks every second), the next popup's first
  // screen shows the standing statement beside Submit.
  await expect.poll(() => popup.evaluate(() => localStorage.getItem('flagline.goodFaithStanding'))).toBe('1');
  const next = await openHeldPopup(extension, tabId);
  await expect(next.getByText(STANDING)).toBeVisible();
  expect(await next.evaluate(() => performance.getEntriesByName('flagline:live').length)).toBe(0);
  await popup.close();
  await next.close();

  // Withdrawn in Settings: the next first screen no longer says it stands, before any answer.
  const options = await extension.openOptions();
  await options.getByRole('button', { name: 'Withdraw the statement' }).click();
  await expect(options.getByText(/Your next report asks you to tick/)).toBeVisible();
  await expect.poll(() => options.evaluate(() => localStorage.getItem('flagline.goodFaithStanding'))).toBe('0');
  const after = await openHeldPopup(extension, tabId);
  await expect(after.locator('#submit-report')).toBeVisible();
  await expect(after.getByText(STANDING)).toHaveCount(0);
  expect(await after.evaluate(() => performance.getEntriesByName('flagline:live').length)).toBe(0);
});
