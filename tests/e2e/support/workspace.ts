import { expect, type Page } from '@playwright/test';
import type { ExtensionHarness } from './extension';
import { submitReport } from './extension';

/** Turns "Hold reports for review before sending" on through the settings page. */
export async function holdForReview(extension: ExtensionHarness, hold = true): Promise<void> {
  const options = await extension.openOptions();
  const box = options.getByRole('checkbox', { name: 'Hold reports for review before sending' });
  if (hold) await box.check();
  else await box.uncheck();
  await options.getByRole('button', { name: 'Save settings' }).click();
  await expect(options.getByText('Settings saved.').last()).toBeVisible();
  await options.close();
}

/** Reports a page through the popup, as a user would; returns after the popup confirms. */
export async function reportPage(
  extension: ExtensionHarness,
  url: string,
  choice: { category: string; reason?: string; explanation?: string },
  confirmation: RegExp,
): Promise<void> {
  const page = await extension.context.newPage();
  await page.goto(url);
  const popup = await extension.openPopup(page);
  await submitReport(popup, choice);
  await expect(popup.getByRole('status').filter({ hasText: confirmation })).toBeVisible();
  await popup.close();
  await page.close();
}

export async function openWorkspace(extension: ExtensionHarness): Promise<Page> {
  const page = await extension.context.newPage();
  await page.goto(extension.url('workspace.html'));
  await expect(page.getByRole('heading', { name: 'Flagline workspace' })).toBeVisible();
  return page;
}

export const rows = (workspace: Page) => workspace.getByRole('list', { name: 'Reports' }).getByRole('listitem');
