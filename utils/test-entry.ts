/**
 * E2E-ONLY (Firefox): neither WebDriver BiDi nor a web page may navigate a tab to a
 * `moz-extension://` address, but a tab the extension opens itself is visible to automation. So
 * the Firefox e2e builds (and only they: background.ts guards the call with build-time constants,
 * and tests/firefox/package.test.ts checks the production build has none of it) open one
 * extension page when installed or reloaded. The Firefox harness (tests/firefox/support/) drives
 * every other extension page from there, through the extension's own origin.
 */
export const TEST_ENTRY_PATH = '/options.html?e2e-entry';

export interface TestEntryDeps {
  onInstalled: { addListener(callback: () => void): void };
  createTab: (url: string) => Promise<unknown>;
}

export function openTestEntryWhenInstalled(deps: TestEntryDeps): void {
  deps.onInstalled.addListener(() => void deps.createTab(TEST_ENTRY_PATH));
}
