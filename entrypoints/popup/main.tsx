import { browser } from 'wxt/browser';
import { prefetchingSend } from '@/utils/popup-prefetch';
import { translate } from '@/utils/i18n';
import { startFirstScreen } from '@/utils/ui/first-screen';
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

// The first screen, in popup.html since the build, is usable already if its own script
// (entrypoints/first-screen.ts) ran first; otherwise it is made so now. The live popup takes it
// over once drawn.
const firstScreen = startFirstScreen(window, translate);

// The live form waits for two answers of the background (the tab, and the settings, policy and
// outbox): they are asked first thing, while the rest of the popup's code (Preact, the form) loads
// and runs — as the workspace does with its first read. The zod checks load after, from start.tsx.
const raw = (message: unknown) => browser.runtime.sendMessage(message);
void resolveTabId().then((tabId) => {
  const send = prefetchingSend(raw, [
    { type: 'popupState', payload: {} },
    ...(tabId === undefined ? [] : [{ type: 'describeTab' as const, payload: { tabId } }]),
  ]);
  return import('./start').then(({ startPopup }) => startPopup(tabId, send, firstScreen));
});
