import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';
import { PRODUCTION_BUILD } from './support/extension';

test('the production popup.html carries the form itself, category first, and the script that makes it usable', async () => {
  const html = await readFile(join(PRODUCTION_BUILD, 'popup.html'), 'utf8');
  const app = html.slice(html.indexOf('<div id="app">'));
  for (const id of ['category-rumor', 'category-cyberviolence', 'category-minors', 'explanation']) expect(app).toContain(`id="${id}"`);
  expect(app.indexOf('id="category-rumor"')).toBeLessThan(app.indexOf('type="submit"'));
  expect(html).toContain('<script src="/first-screen.js" async');
});

test('what is done on the first screen before the background has answered is kept, and the live popup submits it', async ({ extension, receiver, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html?case=first-screen`);
  const tabId = await extension.tabIdOf(page);
  const popup = await extension.context.newPage();
  // Holds every message of the popup to the background until the test lets them go: the popup
  // can show only its first screen meanwhile.
  await popup.addInitScript(() => {
    const runtime = chrome.runtime as { sendMessage: (...args: unknown[]) => Promise<unknown> };
    const send = runtime.sendMessage.bind(runtime);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    (window as unknown as { releaseMessages: () => void }).releaseMessages = release;
    runtime.sendMessage = (...args: unknown[]) => held.then(() => send(...args));
  });
  await popup.goto(extension.url(`popup.html?tabId=${tabId}`));
  // The first screen is a page of its own for a moment: it passes axe, in the browser's language.
  await expect(popup.locator('html')).toHaveAttribute('lang', 'en');
  const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
  expect((await new AxeBuilder({ page: popup }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);

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
});
