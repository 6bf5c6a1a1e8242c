import { followBadge } from '../badge';
import { BUILT_IN_CATEGORIES } from '../categories';
import { dexieMutations, openDatabase } from '../db';
import { createCaptureRecorder } from '../evidence/recorder';
import { reportWindows } from '../evidence/abandon';
import { keepsHere, loadDestinationChoice, opensFirstRun } from '../destination';
import { FIRST_RUN_PATH } from '../pages';
import { createScreenshotQueue, cropPng, overlayShows } from '../evidence/screenshot';
import { translate, uiLanguageTag } from '../i18n';
import { createMessageListener } from '../messaging';
import { createOutboxRunner, OUTBOX_ALARM, type OutboxLimits } from '../outbox';
import { CONTEXT_MENU_ITEMS, START_PICKER_COMMAND, captureInputForMenu } from '../picker/context-menu';
import { injectPicker } from '../picker/inject';
import { createInjectionRegistry } from '../picker/registry';
import { cachedManagedStorageReader, labelLanguage, lastKnownPolicy, onPolicyChanged, soonPolicyReader, submitContext } from '../policy';
import { DEFAULT_ENDPOINT, loadEffectiveSettings, loadEffectiveState, screenshotPermission } from '../settings';
import { notifyClosed } from '../status/notify';
import { createStatusRunner, STATUS_ALARM } from '../status/runner';
import { isoWithOffset, systemClock } from '../time';
import { createWorkspaceMenu, listenForWorkspaceMenu } from '../workspace/menu';
import { alarmScheduler, reportWindowOpener, scriptingApi, tabSource, windowExists, type BackgroundBrowser, type WorkerPlatform } from './browser';
import { createHandlers } from './handlers';

/**
 * The background worker's composition root: builds the database, the policy readers, the outbox
 * runner, the capture pipeline and the one handler map from their modules, then adds every
 * listener. Listeners are added synchronously, as MV3 requires for wake-up events.
 */
export function startBackground(
  browser: BackgroundBrowser,
  platform: WorkerPlatform,
  options: { limits?: Partial<OutboxLimits>; statusRefreshMinMs?: number } = {},
): void {
  const db = openDatabase();
  const readPolicy = cachedManagedStorageReader(browser.storage.managed, browser.storage.onChanged);
  // For the pick's screenshot, which must not wait on a slow first read (utils/policy.ts).
  const readPolicySoon = soonPolicyReader(readPolicy, lastKnownPolicy(db));
  const outbox = createOutboxRunner({
    db,
    fetch: platform.fetch,
    clock: systemClock,
    random: Math.random,
    workerId: platform.newId(),
    getSettings: () => loadEffectiveSettings(db, readPolicy),
    alarms: alarmScheduler(browser),
    // One flush at a time across contexts (Web Locks); the leases guard the rest.
    ...(platform.locks ? { locks: platform.locks } : {}),
    // Chromium fires no `online` event in service workers: the runner asks at every flush.
    isOnline: platform.isOnline,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const status = createStatusRunner({
    db,
    fetch: platform.fetch,
    clock: systemClock,
    alarms: alarmScheduler(browser),
    enabled: async () => (await loadEffectiveSettings(db, readPolicy)).statusChecks,
    ...(options.statusRefreshMinMs === undefined ? {} : { refreshMinMs: options.statusRefreshMinMs }),
    onClosed: async (records) => {
      if (!(await loadEffectiveSettings(db, readPolicy)).notifyOnOutcome) return;
      await notifyClosed(browser, translate, browser.runtime.getURL('/icon/128.png'), records);
    },
  });
  const checkStatusLogged = (why: string) => {
    status.check().catch((error: unknown) => console.warn(`Flagline could not check report status (${why}):`, error));
  };
  const flushLogged = (why: string) => {
    outbox
      .flush()
      // Reports just acknowledged with a status token are asked about 10 minutes later — once the
      // acknowledgements are applied to their records (the flush answers before that), and only
      // when something was sent: rescheduling reads every tracked report.
      .then(async (summary) => {
        if (summary.sent === 0) return;
        await outbox.idle();
        await status.reschedule();
      })
      .catch((error: unknown) => console.warn(`Flagline could not deliver (${why}):`, error));
  };

  const tabs = tabSource(browser);
  const registry = createInjectionRegistry(browser.storage.session, systemClock);
  const scripting = scriptingApi(browser);
  const capture = {
    db,
    tabs,
    screenshots: createScreenshotQueue({
      captureVisibleTab: (windowId: number) => browser.tabs.captureVisibleTab(windowId, { format: 'png' }),
      now: platform.now,
      sleep: platform.sleep,
    }),
    crop: cropPng,
    clock: systemClock,
    newId: platform.newId,
    allowScreenshots: () => screenshotPermission(db, readPolicy, readPolicySoon),
    overlayShows,
  };
  const openWindow = reportWindowOpener(browser);
  const windows = reportWindows({ db, area: browser.storage.session, windowExists: windowExists(browser), clock: systemClock, sleep: platform.sleep });
  const openForm = async (captureId: string) => {
    const windowId = await openWindow(captureId);
    if (windowId !== undefined) await windows.opened(windowId, captureId);
  };
  const recorder = createCaptureRecorder(capture, openForm);

  const handlers = createHandlers({
    db,
    tabs,
    reportFactory: {
      clock: systemClock,
      newId: platform.newId,
      categories: BUILT_IN_CATEGORIES,
      client: { version: browser.runtime.getManifest().version, locale: uiLanguageTag() },
    },
    flush: (flushOptions) => outbox.flush(flushOptions),
    status,
    readPolicy,
    submitContext: async () => submitContext(await loadEffectiveState(db, readPolicy), labelLanguage(uiLanguageTag())),
    holdForReview: async () => keepsHere(await loadEffectiveSettings(db, readPolicy)),
    picker: { scripting, registry, capture, openForm, recorder },
  });

  const startPicker = (tabId: number) =>
    injectPicker({ scripting, registry, tabs, newToken: platform.newId, clock: systemClock }, tabId, { metadataOnly: false }).catch((error: unknown) =>
      console.warn('Flagline could not start the picker:', error),
    );

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
    recorder.record(tab.id, input, { metadataOnly: false }).catch((error: unknown) => console.warn('Flagline could not capture:', error));
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) flushLogged('alarm');
    if (alarm.name === STATUS_ALARM) checkStatusLogged('alarm');
  });
  browser.runtime.onStartup.addListener(() => flushLogged('browser start'));
  /** "Where should your reports go?" on a fresh install, unless the build or a policy decided (utils/destination.ts). */
  const firstRun = async (reason: string) => {
    const state = await loadEffectiveState(db, readPolicy);
    if (opensFirstRun({ reason, buildEndpoint: DEFAULT_ENDPOINT, policy: state.policy, stored: await loadDestinationChoice(db) })) {
      await browser.tabs.create({ url: browser.runtime.getURL(FIRST_RUN_PATH) });
    }
  };
  browser.runtime.onInstalled.addListener((details) => {
    flushLogged('install');
    void firstRun(details.reason);
    // Menu items persist with the profile; re-create them all on install and update (after
    // removeAll, or the workspace item would be removed again).
    browser.contextMenus
      .removeAll()
      .then(() => {
        for (const item of CONTEXT_MENU_ITEMS) {
          browser.contextMenus.create({ id: item.id, title: translate(item.title), contexts: [...item.contexts] });
        }
        createWorkspaceMenu(browser, translate);
      })
      .catch((error: unknown) => console.warn('Flagline could not create its menus:', error));
  });
  listenForWorkspaceMenu(browser);
  // Settings are read from the policy at every delivery; a new policy (say, a new endpoint)
  // is a good moment to deliver what waits.
  onPolicyChanged(browser.storage.onChanged, () => flushLogged('policy changed'));

  // Back online (a school network returns): deliver what waited. Only where the event exists
  // (Firefox's background page); Chromium's worker polls instead (utils/connectivity.ts).
  platform.onOnline(() => flushLogged('back online'));

  // The toolbar badge follows the outbox, whichever context changed it.
  followBadge({ db, action: browser.action, onMutation: dexieMutations, clock: systemClock, setTimer: platform.setTimer });

  // A report window closed unsent: its capture's screenshots and text go (utils/evidence/abandon.ts).
  browser.windows.onRemoved.addListener((windowId) => {
    windows.closed(windowId).catch((error: unknown) => console.warn('Flagline could not delete an abandoned pick:', error));
  });

  // Every worker start resumes what a stopped worker or a closed browser left behind, and
  // deletes the picks nobody submitted.
  flushLogged('worker start');
  // … and what was due while it slept (the alarm is set again: a browser restart may clear it).
  checkStatusLogged('worker start');
  windows.sweep().catch((error: unknown) => console.warn('Flagline could not delete abandoned picks:', error));
}
