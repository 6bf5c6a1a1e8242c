import { render } from 'preact';
import { SettingsForm } from '@/components/SettingsForm';
import { HoldSetting } from '@/components/workspace/HoldSetting';
import { openDatabase } from '@/utils/db';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { loadSettings, saveSettings } from '@/utils/settings';
import '@/components/styles.css';

document.documentElement.lang = uiLanguageTag();
document.title = translate('options_title');

const db = openDatabase();
void loadSettings(db).then((settings) =>
  render(
    <main class="options">
      <h1>{translate('options_title')}</h1>
      <h2>{translate('options_heading')}</h2>
      <SettingsForm initial={settings} onSave={(values) => saveSettings(db, values)} />
      <HoldSetting initial={settings.reviewBeforeSend} onSave={async (hold) => (await saveSettings(db, { reviewBeforeSend: hold })).ok} />
    </main>,
    document.getElementById('app') as HTMLElement,
  ),
);
