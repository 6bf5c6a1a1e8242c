import type { Page } from '@playwright/test';
import type { Receiver } from '../../support/receiver';
import type { ReportRecord } from '../../../utils/schema/record';
import type { ExtensionHarness } from './extension';
import { readStoreInPage, submitInPage } from './in-page';

/** Submits reports through the popup's message path (`submitReport`) from an extension page. */
export async function submitMany(extension: ExtensionHarness, tabId: number, count: number, label: string): Promise<string[]> {
  const page = await extension.openOptions();
  const ids = await submitFrom(page, tabId, count, label);
  await page.close();
  return ids;
}

/** `submitMany` from an extension page the caller keeps open. */
export async function submitFrom(page: Page, tabId: number, count: number, label: string): Promise<string[]> {
  return page.evaluate(submitInPage, { tabId, count, label });
}

/** The outbox rows, read from an extension page the caller keeps open. */
export async function recordsFrom(page: Page): Promise<ReportRecord[]> {
  return (await page.evaluate(readStoreInPage, 'reports')) as ReportRecord[];
}

/** Resolves once the receiver holds every one of `ids`; throws after `timeoutMs`. */
export async function waitForAll(receiver: Receiver, ids: string[], timeoutMs: number, between?: () => Promise<void>) {
  const deadline = Date.now() + timeoutMs;
  const want = new Set(ids);
  while (Date.now() < deadline) {
    const have = receiver.reports().filter((r) => want.has(r.id)).length;
    if (have === want.size) return;
    await (between ? between() : new Promise((resolve) => setTimeout(resolve, 200)));
  }
  throw new Error(`only ${receiver.reports().filter((r) => want.has(r.id)).length} of ${want.size} arrived`);
}

/** The toolbar badge as the running worker sees it: global text and colour, and for one tab. */
export async function badge(extension: ExtensionHarness, tabId?: number): Promise<{ text: string; color: number[]; tabText?: string }> {
  const worker = await extension.worker();
  return worker.evaluate(async (tabId) => {
    const text = await chrome.action.getBadgeText({});
    const color = (await chrome.action.getBadgeBackgroundColor({})) as unknown as number[];
    const tabText = tabId === undefined ? undefined : await chrome.action.getBadgeText({ tabId });
    return { text, color: [...color], ...(tabText === undefined ? {} : { tabText }) };
  }, tabId);
}
