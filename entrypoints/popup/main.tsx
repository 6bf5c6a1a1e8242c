import { browser } from 'wxt/browser';
import { prefetchingSend } from '@/utils/popup-prefetch';
import '@/components/styles.css';

/**
 * The tab to report: `?tabId=N` (how tests and the report window open this page, since
 * automation cannot press the toolbar button), else the active tab of this window.
 */
async function resolveTabId(): Promise<number | undefined> {
  const query = new URLSearchParams(location.search);
  const fromQuery = Number(query.get('tabId'));
  if (Number.isInteger(fromQuery) && fromQuery >= 0 && query.has('tabId')) return fromQuery;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

// The form waits for two answers of the background (the tab, and the settings, policy and
// outbox): they are asked first thing, while the rest of the popup's code (Preact, the form) loads
// and runs — as the workspace does with its first read. The zod checks load after, from start.tsx.
const raw = (message: unknown) => browser.runtime.sendMessage(message);
void resolveTabId().then((tabId) => {
  const send = prefetchingSend(raw, [
    { type: 'popupState', payload: {} },
    ...(tabId === undefined ? [] : [{ type: 'describeTab' as const, payload: { tabId } }]),
  ]);
  return import('./start').then(({ startPopup }) => startPopup(tabId, send));
});
