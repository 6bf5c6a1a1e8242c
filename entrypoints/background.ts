import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createHandlers } from '@/utils/background/handlers';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { openDatabase } from '@/utils/db';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { createMessageListener } from '@/utils/messaging';
import { liveQuery } from 'dexie';
import { applyBadge, countForBadge } from '@/utils/badge';
import { createOutboxRunner, OUTBOX_ALARM, type OutboxLimits } from '@/utils/outbox';
import { labelLanguage, managedStorageReader, onPolicyChanged, submitContext } from '@/utils/policy';
import { loadEffectiveSettings, loadEffectiveState } from '@/utils/settings';
import { systemClock } from '@/utils/time';
import { createWorkspaceMenu, listenForWorkspaceMenu } from '@/utils/workspace/menu';

/**
 * E2E-ONLY KNOB: the e2e build (`npm run build:e2e`) retries after fractions of a second instead
 * of tens of seconds, so fault-mode tests finish quickly. Same code path, smaller numbers.
 */
const E2E_LIMITS: Partial<OutboxLimits> | undefined =
  import.meta.env.MODE === 'e2e' ? { backoffBaseMs: 300, backoffCapMs: 2000, backoffFloorMs: 100 } : undefined;

export default defineBackground(() => {
  const db = openDatabase();
  const readPolicy = managedStorageReader(browser.storage.managed);
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
    ...(E2E_LIMITS ? { limits: E2E_LIMITS } : {}),
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
    submitContext: async () => submitContext(await loadEffectiveState(db, readPolicy), labelLanguage(uiLanguageTag())),
    holdForReview: async () => (await loadEffectiveSettings(db, readPolicy)).reviewBeforeSend,
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
  // Settings are read from the policy at every delivery; a new policy (say, a new endpoint)
  // is a good moment to deliver what waits.
  onPolicyChanged(browser.storage.onChanged, () => void outbox.flush());

  // Back online (a school network returns): deliver what waited.
  self.addEventListener('online', () => void outbox.flush());

  // The toolbar badge follows the outbox, whichever context changed it.
  liveQuery(() => countForBadge(db)).subscribe({
    next: (counts) => void applyBadge(browser.action, counts).catch(() => undefined),
    error: (error) => console.warn('Flagline badge:', error),
  });

  // Every worker start resumes what a stopped worker or a closed browser left behind.
  void outbox.flush();
});
