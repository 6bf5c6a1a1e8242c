import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { popupFirstScreen } from './scripts/first-screen/vite-plugin';

/**
 * Loopback host access exists only in the e2e build (`npm run build:e2e`): automation cannot
 * grant `activeTab` (ENVIRONMENT.md), so tests need another way to read loopback test pages.
 * The production manifest must never carry it; tests/e2e/manifest.spec.ts checks that.
 */
const E2E_HOST_PERMISSIONS = ['http://127.0.0.1/*', 'http://localhost/*'];
/**
 * `tabs.captureVisibleTab` accepts only an `activeTab` grant or `<all_urls>` — loopback host
 * permissions are not enough, and automation cannot give the grant (no toolbar click, menu
 * click or command key reaches the browser from Playwright). The picker specs therefore use a
 * third build (`npm run build:e2e-capture`) that stands `<all_urls>` in for the user's activeTab
 * grant. Only tests load it; tests/e2e/manifest.spec.ts checks that it differs from production
 * by exactly that, and that production has no host access at all.
 */
const E2E_CAPTURE_HOST_PERMISSIONS = ['<all_urls>'];

/**
 * Requested only on a user click, for exactly the configured endpoint's origin, when that
 * endpoint does not answer CORS (utils/endpoint-access.ts). Nothing is granted at install.
 */
const OPTIONAL_HOST_PERMISSIONS = ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'];

/** The oldest Firefox the Firefox e2e suite has run on (`strict_min_version`). */
export const FIREFOX_TESTED_VERSION = '153.0';

/** Firefox only (Chromium does not know the key): `npm run build:firefox`, `zip:firefox`. */
const FIREFOX_SETTINGS = {
  gecko: {
    // Stable: Firefox policies (3rdparty.Extensions, ExtensionSettings) name the add-on by it.
    id: 'flagline@flagline.app',
    // The Firefox the e2e suite runs (tests/firefox/: Debian's firefox-esr, 153 ESR).
    strict_min_version: FIREFOX_TESTED_VERSION,
    // Firefox's built-in data consent (AMO requires it of new add-ons). On the user's submit, a
    // report carries the page's address and title (browsingActivity), the text and screenshots
    // picked from it (websiteContent) and, when the user or the school fills them in, the
    // reporter's name and contact (personallyIdentifyingInfo), to the configured endpoint only.
    data_collection_permissions: { required: ['browsingActivity', 'websiteContent', 'personallyIdentifyingInfo'] },
  },
} as const;

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // No auto-imports: every module imports what it uses. WXT's auto-import plugin turned the lazy
  // `import('…').then(({ name }) => name(…))` of the workspace (policy, messaging) into static
  // imports, which put the schema library on the page's start-up path (workspace.render10kMs);
  // tests/e2e/workspace-startup.spec.ts keeps it off.
  imports: false,
  // `npm run zip:firefox`: the add-on and the sources zip addons.mozilla.org review asks for (WXT
  // already leaves out node_modules, hidden files, *.test.* files and .output). The Desk is not
  // part of the add-on.
  zip: { excludeSources: ['desk/**', 'test-results/**', 'playwright-report/**'] },
  vite: () => ({ plugins: [preact(), popupFirstScreen()] }),
  manifest: ({ mode, browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // scripting + activeTab inject the picker on request; contextMenus are ways in (picker, workspace).
    // sidePanel (Chrome/Edge; no install warning) holds the hand-off companion beside an official
    // channel's form (issue 16); Firefox has the sidebar (sidebar_action below) instead.
    permissions: ['storage', 'alarms', 'activeTab', 'scripting', 'contextMenus', ...(browser === 'firefox' ? [] : ['sidePanel'])],
    optional_host_permissions: OPTIONAL_HOST_PERMISSIONS,
    // Asked for only when the user turns on notifications for closed reports (settings).
    optional_permissions: ['notifications'],
    commands: {
      // Starts the picker; users change the keys at chrome://extensions/shortcuts.
      'start-picker': { suggested_key: { default: 'Alt+Shift+R' }, description: '__MSG_picker_commandDescription__' },
    },
    ...(mode === 'e2e' ? { host_permissions: E2E_HOST_PERMISSIONS } : {}),
    ...(mode === 'e2e-capture' ? { host_permissions: E2E_CAPTURE_HOST_PERMISSIONS } : {}),
    action: { default_title: '__MSG_actionTitle__' },
    // School policy (Chrome/Edge managed storage). Firefox maps policies.json
    // `3rdparty.Extensions` to the same storage.managed area and knows no schema. docs/admin.md.
    ...(browser === 'firefox' ? {} : { storage: { managed_schema: 'managed_schema.json' } }),
    ...(browser === 'firefox' ? { browser_specific_settings: FIREFOX_SETTINGS } : {}),
    ...(browser === 'firefox'
      ? { sidebar_action: { default_panel: 'handoff.html', default_title: '__MSG_handoff_companionTitle__', open_at_install: false } }
      : {}),
  }),
});
