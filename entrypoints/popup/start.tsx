import { render } from 'preact';
import { browser } from 'wxt/browser';
import { FIRST_RUN_PATH } from '@/utils/pages';
import { companionPath, openCompanion } from '@/utils/handoff/open';
import { createDraftStore } from '@/utils/drafts';
import { loadChecks } from '@/utils/lazy-checks';
import { openWorkspace } from '@/utils/workspace/menu';
import type { SendRaw } from '@/utils/messaging';
import { placeFirstScreen, rememberGoodFaithStanding, type FirstScreen } from '@/utils/ui/first-screen';
import { PopupApp } from './PopupApp';

/**
 * Renders the popup for `tabId`; `send` already carries the first questions main.tsx asked. With
 * a first screen on display, the live popup is drawn off screen and takes its place once it has
 * its answers (PopupApp, utils/ui/first-screen.ts).
 */
export function startPopup(tabId: number | undefined, send: SendRaw, firstScreen?: FirstScreen): void {
  // The zod checks load beside the live form, which is drawn from the answers' types; each
  // user of the checks sees a failure to load them.
  loadChecks().catch(() => undefined);
  const root = document.getElementById('app') as HTMLElement;
  const live = firstScreen ? document.createElement('div') : root;
  // The side panel opens in answer to the click, so the window is known before it.
  let windowId: number | undefined;
  void browser.windows.getCurrent().then((current) => (windowId = current.id));
  render(
    <PopupApp
      tabId={tabId}
      send={send}
      drafts={createDraftStore(browser.storage.session)}
      openSettings={() => void browser.runtime.openOptionsPage()}
      openWorkspace={() => void openWorkspace(browser)}
      onPickerStarted={new URLSearchParams(location.search).has('tabId') ? undefined : () => window.close()}
      openHandoff={(id) => void openCompanion(browser, windowId, companionPath([id]))}
      openFirstRun={() => void browser.tabs.create({ url: browser.runtime.getURL(FIRST_RUN_PATH) })}
      onGoodFaithKnown={(standing) => rememberGoodFaithStanding(localStorage, standing)}
      firstScreen={firstScreen && placeFirstScreen(firstScreen, live)}
    />,
    live,
  );
}
