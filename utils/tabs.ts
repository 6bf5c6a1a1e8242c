import type { TabDescription, UnreportableReason } from './schema/messages';

/**
 * Extension stores: browsers forbid extensions from working on these pages, and reporting a
 * store listing belongs in the store's own abuse form.
 */
const EXTENSION_STORES: ReadonlyArray<{ host: string; pathPrefix?: string }> = [
  { host: 'chromewebstore.google.com' },
  { host: 'chrome.google.com', pathPrefix: '/webstore' },
  { host: 'microsoftedge.microsoft.com', pathPrefix: '/addons' },
  { host: 'addons.mozilla.org' },
];

/**
 * Why a URL cannot be reported, or null when it can. `undefined` means the browser did not
 * tell us the URL: without `activeTab` for that tab (popup not opened on it) there is no access.
 * `fileSchemeAllowed` is `extension.isAllowedFileSchemeAccess()`, or `'never'` in a browser
 * without a switch for it (utils/browser-features.ts): there, no advice can help.
 */
export function unreportableReason(url: string | undefined, fileSchemeAllowed: boolean | 'never'): UnreportableReason | null {
  if (!url || !URL.canParse(url)) return 'no-access';
  const parsed = new URL(url);
  if (parsed.protocol === 'file:') return fileSchemeAllowed === true ? null : fileSchemeAllowed === 'never' ? 'file-blocked' : 'file-access';
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'browser-page';
  const store = EXTENSION_STORES.find((s) => parsed.hostname === s.host && (!s.pathPrefix || parsed.pathname.startsWith(s.pathPrefix)));
  return store ? 'extension-store' : null;
}

/** The part of `tabs.Tab` we read. */
export interface TabRecord {
  id?: number;
  url?: string;
  title?: string;
  windowId?: number;
}

export interface TabSource {
  get(tabId: number): Promise<TabRecord>;
  /** `extension.isAllowedFileSchemeAccess()`, or `'never'` where the browser has no such switch. */
  fileSchemeAllowed(): Promise<boolean | 'never'>;
}

/** Describes a tab from the browser's own record: the page never gets a say in URL or title. */
export async function describeTab(tabs: TabSource, tabId: number): Promise<TabDescription> {
  let tab: TabRecord;
  try {
    tab = await tabs.get(tabId);
  } catch {
    return { reportable: false, tabId, reason: 'no-tab' };
  }
  const reason = unreportableReason(tab.url, await tabs.fileSchemeAllowed());
  if (reason) return { reportable: false, tabId, reason };
  const url = tab.url as string;
  return { reportable: true, tabId, url, title: (tab.title || url).slice(0, 2000) };
}
