import { render } from 'preact';
import { browser } from 'wxt/browser';
import { FIRST_RUN_PATH } from '@/utils/destination';
import { companionPath, openCompanion } from '@/utils/handoff/open';
import { createDraftStore } from '@/utils/drafts';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { openWorkspace } from '@/utils/workspace/menu';
import { PopupApp } from './PopupApp';
import '@/components/styles.css';

/**
 * The tab to report: `?tabId=N` (how tests and the report window open this page, since
 * automation cannot press the toolbar button), else the active tab of this window.
 */
async function resolveTabId(): Promise<number | undefined> {
  const fromQuery = Number(new URLSearchParams(location.search).get('tabId'));
  if (Number.isInteger(fromQuery) && fromQuery >= 0 && new URLSearchParams(location.search).has('tabId')) return fromQuery;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

document.documentElement.lang = uiLanguageTag();
document.title = translate('popup_title');

const root = document.getElementById('app') as HTMLElement;
// The side panel opens in answer to the click, so the window is known before it.
let windowId: number | undefined;
void browser.windows.getCurrent().then((current) => (windowId = current.id));
void resolveTabId().then((tabId) =>
  render(
    <PopupApp
      tabId={tabId}
      send={(message) => browser.runtime.sendMessage(message)}
      drafts={createDraftStore(browser.storage.session)}
      openSettings={() => void browser.runtime.openOptionsPage()}
      openWorkspace={() => void openWorkspace(browser)}
      onPickerStarted={new URLSearchParams(location.search).has('tabId') ? undefined : () => window.close()}
      openHandoff={(id) => void openCompanion(browser, windowId, companionPath([id]))}
      openFirstRun={() => void browser.tabs.create({ url: browser.runtime.getURL(FIRST_RUN_PATH) })}
    />,
    root,
  ),
);
