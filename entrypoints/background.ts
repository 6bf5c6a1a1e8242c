import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createHandlers } from '@/utils/background/handlers';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { openDatabase } from '@/utils/db';
import { uiLanguageTag } from '@/utils/i18n';
import { createMessageListener } from '@/utils/messaging';
import { createOutboxRunner, OUTBOX_ALARM } from '@/utils/outbox';
import { loadSettings } from '@/utils/settings';
import { systemClock } from '@/utils/time';
import { createWorkspaceMenu, listenForWorkspaceMenu } from '@/utils/workspace/menu';
import { translate } from '@/utils/i18n';

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

  const handlers = createHandlers({
    db,
    tabs: {
      get: (tabId) => browser.tabs.get(tabId),
      fileSchemeAllowed: () => browser.extension.isAllowedFileSchemeAccess(),
    },
    reportFactory: {
      clock: systemClock,
      newId: () => crypto.randomUUID(),
      categories: BUILT_IN_CATEGORIES,
      client: { version: browser.runtime.getManifest().version, locale: uiLanguageTag() },
    },
    flush: (options) => outbox.flush(options),
    holdForReview: async () => (await loadSettings(db)).reviewBeforeSend,
  });

  // Listeners are added synchronously at worker start, as MV3 requires for wake-up events.
  browser.runtime.onMessage.addListener(
    createMessageListener(handlers, {
      extensionId: browser.runtime.id,
      extensionOrigin: browser.runtime.getURL('/'),
      onRejected: (reason, sender) => console.warn('Flagline refused a message:', reason, sender.url),
    }),
  );
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void outbox.flush();
  });
  browser.runtime.onStartup.addListener(() => void outbox.flush());
  browser.runtime.onInstalled.addListener(() => {
    createWorkspaceMenu(browser, translate);
    void outbox.flush();
  });
  listenForWorkspaceMenu(browser);

  // Every worker start resumes what a stopped worker or a closed browser left behind.
  void outbox.flush();
});
