import { render } from 'preact';
import { browser } from 'wxt/browser';
import { openDatabase } from '@/utils/db';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { managedStorageReader } from '@/utils/policy';
import { OptionsApp } from './OptionsApp';
import '@/components/styles.css';

document.documentElement.lang = uiLanguageTag();
document.title = translate('options_title');

render(
  <main class="options">
    <h1>{translate('options_title')}</h1>
    <h2>{translate('options_heading')}</h2>
    <OptionsApp
      db={openDatabase()}
      policySource={{ read: managedStorageReader(browser.storage.managed), changes: browser.storage.onChanged }}
      fetch={(input, init) => fetch(input, init)}
      send={(message) => browser.runtime.sendMessage(message)}
      permissions={browser.permissions}
    />
  </main>,
  document.getElementById('app') as HTMLElement,
);
