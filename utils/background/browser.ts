import type { WxtBrowser } from 'wxt/browser';
import type { AlarmScheduler } from '../outbox/runner';
import type { Scripting } from '../picker/inject';
import type { TabSource } from '../tabs';
import { fileSchemeAccess } from '../browser-features';

/**
 * Every browser API the background worker uses, and nothing else: the one seam between the
 * background's modules and the browser (tests hand `startBackground` a fake of this shape).
 */
export type BackgroundBrowser = Pick<
  WxtBrowser,
  'action' | 'alarms' | 'commands' | 'contextMenus' | 'extension' | 'notifications' | 'permissions' | 'runtime' | 'scripting' | 'storage' | 'tabs' | 'windows'
>;

/** What the worker's global scope offers besides the extension APIs. */
export interface WorkerPlatform {
  fetch: typeof fetch;
  /** Web Locks: one flush at a time across the extension's contexts. */
  locks?: { request<T>(name: string, callback: () => Promise<T>): Promise<T> };
  /** `navigator.onLine`. */
  isOnline: () => boolean;
  /** The global `online` event, where the context has one (Firefox's background page). */
  onOnline: (listener: () => void) => void;
  newId: () => string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  setTimer: (callback: () => void, ms: number) => void;
}

/** The tab source the picker, the capture and `describeTab` read. */
export const tabSource = (browser: BackgroundBrowser): TabSource => ({
  get: (tabId: number) => browser.tabs.get(tabId),
  // Firefox has no file-access switch to point the user at (utils/browser-features.ts).
  fileSchemeAllowed: fileSchemeAccess(browser.runtime, () => browser.extension.isAllowedFileSchemeAccess()),
});

/** `scripting.executeScript`, reduced to the injections the picker makes. */
export const scriptingApi = (browser: BackgroundBrowser): Scripting => browser.scripting;

export const alarmScheduler = (browser: BackgroundBrowser): AlarmScheduler => browser.alarms;

/** The report form for a capture: an extension window, never UI inside the page. Resolves with its window id. */
export const reportWindowOpener = (browser: BackgroundBrowser) => async (captureId: string) => {
  const created = await browser.windows.create({ type: 'popup', url: browser.runtime.getURL(`/report.html?capture=${captureId}`), width: 480, height: 760 });
  return created?.id;
};

/** Whether a window is still open (`windows.get` rejects for a closed one). */
export const windowExists = (browser: BackgroundBrowser) => (windowId: number) =>
  browser.windows.get(windowId).then(
    () => true,
    () => false,
  );
