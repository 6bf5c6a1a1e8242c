/**
 * Differences between browsers, found by what the API offers rather than by a name: each takes
 * the part of the API it looks at, so unit tests pass either shape.
 */

/**
 * Whether the browser lets the user allow an extension on `file://` pages. Chromium has a switch
 * on the extension's details page (`extension.isAllowedFileSchemeAccess()` says whether it is on).
 * Firefox has none: that call always answers false, and even `<all_urls>` does not let an MV3
 * add-on inject into a file page (tried on Firefox 153 ESR: "Missing host permission for the tab").
 * Firefox alone has `runtime.getBrowserInfo`.
 */
export function hasFileAccessSwitch(runtime: object): boolean {
  return typeof (runtime as { getBrowserInfo?: unknown }).getBrowserInfo !== 'function';
}

/** `extension.isAllowedFileSchemeAccess()`, or `'never'` where no switch exists. */
export function fileSchemeAccess(runtime: object, isAllowed: () => Promise<boolean>): () => Promise<boolean | 'never'> {
  return hasFileAccessSwitch(runtime) ? isAllowed : async () => 'never';
}

/**
 * Where the hand-off companion goes (issue 16), by what the browser offers: Chrome and Edge have
 * `sidePanel` (a permission with no install warning), Firefox has `sidebarAction`; elsewhere a
 * small extension window stands beside the form.
 */
export type CompanionSurface = 'side-panel' | 'sidebar' | 'window';

export function companionSurface(browser: object): CompanionSurface {
  const api = browser as { sidePanel?: { open?: unknown }; sidebarAction?: { open?: unknown } };
  if (typeof api.sidePanel?.open === 'function') return 'side-panel';
  if (typeof api.sidebarAction?.open === 'function') return 'sidebar';
  return 'window';
}
