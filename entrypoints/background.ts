import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createHandlers } from '@/utils/background/handlers';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { dexieMutations, openDatabase } from '@/utils/db';
import { recordCapture } from '@/utils/evidence/capture';
import { createScreenshotQueue, cropPng, overlayShows } from '@/utils/evidence/screenshot';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { createMessageListener } from '@/utils/messaging';
import { followBadge } from '@/utils/badge';
import { createOutboxRunner, OUTBOX_ALARM, type OutboxLimits } from '@/utils/outbox';
import { CONTEXT_MENU_ITEMS, START_PICKER_COMMAND, captureInputForMenu } from '@/utils/picker/context-menu';
import { injectPicker } from '@/utils/picker/inject';
import { createInjectionRegistry } from '@/utils/picker/registry';
import { cachedManagedStorageReader, labelLanguage, lastKnownPolicy, onPolicyChanged, soonPolicyReader, submitContext } from '@/utils/policy';
import { loadEffectiveSettings, loadEffectiveState, screenshotPermission } from '@/utils/settings';
import { isoWithOffset, systemClock } from '@/utils/time';
import { createWorkspaceMenu, listenForWorkspaceMenu } from '@/utils/workspace/menu';
import { openTestEntryWhenInstalled } from '@/utils/test-entry';
import { fileSchemeAccess } from '@/utils/browser-features';

/**
 * E2E-ONLY KNOB: the e2e build (`npm run build:e2e`) retries after fractions of a second instead
 * of tens of seconds, so fault-mode tests finish quickly. Same code path, smaller numbers.
 */
const E2E_LIMITS: Partial<OutboxLimits> | undefined =
  import.meta.env.MODE === 'e2e' ? { backoffBaseMs: 300, backoffCapMs: 2000, backoffFloorMs: 100, offlinePollMs: 1000 } : undefined;

export default defineBackground(() => {
  const db = openDatabase();
  const readPolicy = cachedManagedStorageReader(browser.storage.managed, browser.storage.onChanged);
  // For the pick's screenshot, which must not wait on a slow first read (utils/policy.ts).
  const readPolicySoon = soonPolicyReader(readPolicy, lastKnownPolicy(db));
  const outbox = createOutboxRunner({
    db,
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    random: Math.random,
    workerId: crypto.randomUUID(),
    getSettings: () => loadEffectiveSettings(db, readPolicy),
    alarms: browser.alarms,
    // One flush at a time across contexts (Web Locks); the leases guard the rest.
    locks: navigator.locks,
    // Chromium fires no `online` event in service workers: the runner asks at every flush.
    isOnline: () => navigator.onLine,
    ...(E2E_LIMITS ? { limits: E2E_LIMITS } : {}),
  });

  const tabs = {
    get: (tabId: number) => browser.tabs.get(tabId),
    fileSchemeAllowed: fileSchemeAccess(browser.runtime, () => browser.extension.isAllowedFileSchemeAccess()),
  };
  const newId = () => crypto.randomUUID();
  const registry = createInjectionRegistry(browser.storage.session, systemClock);
  const scripting = browser.scripting as unknown as import('@/utils/picker/inject').Scripting;
  const capture = {
    db,
    tabs,
    screenshots: createScreenshotQueue({
      captureVisibleTab: (windowId: number) => browser.tabs.captureVisibleTab(windowId, { format: 'png' }),
      now: () => performance.now(),
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    }),
    crop: cropPng,
    clock: systemClock,
    newId,
    allowScreenshots: () => screenshotPermission(db, readPolicy, readPolicySoon),
    overlayShows,
  };
  // The report form for a capture: an extension window, never UI inside the page.
  const openForm = async (captureId: string) => {
    await browser.windows.create({ type: 'popup', url: browser.runtime.getURL(`/report.html?capture=${captureId}`), width: 480, height: 760 });
  };

  const handlers = createHandlers({
    db,
    tabs,
    reportFactory: {
      clock: systemClock,
      newId,
      categories: BUILT_IN_CATEGORIES,
      client: { version: browser.runtime.getManifest().version, locale: uiLanguageTag() },
    },
    flush: (options) => outbox.flush(options),
    submitContext: async () => submitContext(await loadEffectiveState(db, readPolicy), labelLanguage(uiLanguageTag())),
    holdForReview: async () => (await loadEffectiveSettings(db, readPolicy)).reviewBeforeSend,
    picker: { scripting, registry, capture, openForm },
  });

  const startPicker = (tabId: number) =>
    injectPicker({ scripting, registry, tabs, newToken: newId, clock: systemClock }, tabId, { metadataOnly: false }).catch((error) =>
      console.warn('Flagline could not start the picker:', error),
    );

  // Listeners are added synchronously at worker start, as MV3 requires for wake-up events.
  browser.runtime.onMessage.addListener(
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the webextension polyfill (wxt.config.ts) answers with the promise's value; wxt's chrome-based types do not know that
    createMessageListener(handlers, {
      extensionId: browser.runtime.id,
      extensionOrigin: browser.runtime.getURL('/'),
      onRejected: (reason, sender) => console.warn('Flagline refused a message:', reason, sender.url),
    }),
  );
  browser.commands.onCommand.addListener((command, tab) => {
    if (command === START_PICKER_COMMAND && tab?.id !== undefined) void startPicker(tab.id);
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (tab?.id === undefined) return;
    const input = captureInputForMenu(info, isoWithOffset(systemClock()));
    if (!input) return;
    void recordCapture(capture, tab.id, input, { metadataOnly: false })
      .then((saved) => openForm(saved.id))
      .catch((error) => console.warn('Flagline could not capture:', error));
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void outbox.flush();
  });
  browser.runtime.onStartup.addListener(() => void outbox.flush());
  browser.runtime.onInstalled.addListener(() => {
    void outbox.flush();
    // Menu items persist with the profile; re-create them all on install and update (after
    // removeAll, or the workspace item would be removed again).
    void browser.contextMenus.removeAll().then(() => {
      for (const item of CONTEXT_MENU_ITEMS) {
        browser.contextMenus.create({ id: item.id, title: translate(item.title), contexts: [...item.contexts] });
      }
      createWorkspaceMenu(browser, translate);
    });
  });
  listenForWorkspaceMenu(browser);
  // E2E-ONLY (Firefox e2e builds): the harness's way into the extension's pages (utils/test-entry.ts).
  if (import.meta.env.FIREFOX && (import.meta.env.MODE === 'e2e' || import.meta.env.MODE === 'e2e-capture')) {
    openTestEntryWhenInstalled({ onInstalled: browser.runtime.onInstalled, createTab: (url) => browser.tabs.create({ url }) });
  }
  // Settings are read from the policy at every delivery; a new policy (say, a new endpoint)
  // is a good moment to deliver what waits.
  onPolicyChanged(browser.storage.onChanged, () => void outbox.flush());

  // Back online (a school network returns): deliver what waited. Only where the event exists
  // (Firefox's background page); Chromium's worker polls instead (utils/connectivity.ts).
  self.addEventListener('online', () => void outbox.flush());

  // The toolbar badge follows the outbox, whichever context changed it.
  followBadge({
    db,
    action: browser.action,
    onMutation: dexieMutations,
    clock: systemClock,
    setTimer: (callback, ms) => void setTimeout(callback, ms),
  });

  // Every worker start resumes what a stopped worker or a closed browser left behind.
  void outbox.flush();
});
