import { render } from 'preact';
import { browser } from 'wxt/browser';
import { openDatabase } from '@/utils/db';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { loadSettings } from '@/utils/settings';
import { OptionsApp } from './OptionsApp';
import '@/components/styles.css';

document.documentElement.lang = uiLanguageTag();
document.title = translate('options_title');

const db = openDatabase();
void loadSettings(db).then((settings) =>
  render(
    <OptionsApp db={db} initial={settings} send={(message) => browser.runtime.sendMessage(message)} permissions={browser.permissions} />,
    document.getElementById('app') as HTMLElement,
  ),
);
