import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createHandlers } from '@/utils/background/handlers';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { openDatabase } from '@/utils/db';
import { recordCapture } from '@/utils/evidence/capture';
import { createScreenshotQueue, cropPng } from '@/utils/evidence/screenshot';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { createMessageListener } from '@/utils/messaging';
import { createOutboxRunner, OUTBOX_ALARM } from '@/utils/outbox';
import { CONTEXT_MENU_ITEMS, START_PICKER_COMMAND, captureInputForMenu } from '@/utils/picker/context-menu';
import { injectPicker } from '@/utils/picker/inject';
import { createInjectionRegistry } from '@/utils/picker/registry';
import { loadSettings } from '@/utils/settings';
import { isoWithOffset, systemClock } from '@/utils/time';

export default defineBackground(() => {
  const db = openDatabase();
  const outbox = createOutboxRunner({
    db,
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    random: Math.random,
    workerId: crypto.randomUUID(),
    getSettings: () => loadSettings(db),
    alarms: browser.alarms,
  });

  const tabs = {
    get: (tabId: number) => browser.tabs.get(tabId),
    fileSchemeAllowed: () => browser.extension.isAllowedFileSchemeAccess(),
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
    allowScreenshots: async () => (await loadSettings(db)).allowScreenshots,
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
    picker: { scripting, registry, capture, openForm },
  });

  const startPicker = (tabId: number) =>
    injectPicker({ scripting, registry, tabs, newToken: newId, clock: systemClock }, tabId, { metadataOnly: false }).catch((error) =>
      console.warn('Flagline could not start the picker:', error),
    );

  // Listeners are added synchronously at worker start, as MV3 requires for wake-up events.
  browser.runtime.onMessage.addListener(
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
    // Menu items persist with the profile; re-create them on install and update.
    void browser.contextMenus.removeAll().then(() => {
      for (const item of CONTEXT_MENU_ITEMS) {
        browser.contextMenus.create({ id: item.id, title: translate(item.title), contexts: [...item.contexts] });
      }
    });
  });

  // Every worker start resumes what a stopped worker or a closed browser left behind.
  void outbox.flush();
});
