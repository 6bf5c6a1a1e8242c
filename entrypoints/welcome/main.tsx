import { render } from 'preact';
import { browser } from 'wxt/browser';
import { FirstRunChoice } from '@/components/welcome/FirstRunChoice';
import { openDatabase } from '@/utils/db';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { managedStorageReader } from '@/utils/policy';
import { useFirstRun } from '@/utils/ui/first-run';
import type { SettingsPageDeps } from '@/utils/ui/settings-page';
import '@/components/styles.css';
import '@/components/handoff/handoff.css';

/**
 * "Where should your reports go?" — opened on install when neither the build nor a policy decided
 * (utils/destination.ts), and from the popup and settings. Wiring only: utils/ui/first-run.ts.
 */
document.documentElement.lang = uiLanguageTag();
document.title = translate('welcome_title');

const deps: SettingsPageDeps = {
  db: openDatabase(),
  policySource: { read: managedStorageReader(browser.storage.managed), changes: browser.storage.onChanged },
  fetch: (input, init) => fetch(input, init),
  send: (message) => browser.runtime.sendMessage(message),
  permissions: browser.permissions,
};

function App() {
  const firstRun = useFirstRun(deps);
  return (
    <main class="options welcome">
      <h1>{translate('welcome_title')}</h1>
      <FirstRunChoice firstRun={firstRun} settingsUrl={browser.runtime.getURL('/options.html')} />
    </main>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
