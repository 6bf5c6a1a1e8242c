import { render } from 'preact';
import { browser } from 'wxt/browser';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { openDatabase } from '@/utils/db';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { managedStorageReader } from '@/utils/policy';
import { systemClock } from '@/utils/time';
import { reportEvidence } from '@/utils/workspace/evidence';
import { WorkspaceApp } from './WorkspaceApp';
import '@/components/styles.css';
import '@/components/workspace/workspace.css';

performance.mark('flagline:workspace-start');
const lang = uiLanguageTag();
document.documentElement.lang = lang;
document.title = translate('workspace_title');

const db = openDatabase();
render(
  <WorkspaceApp
    db={db}
    evidence={reportEvidence(db)}
    send={(message) => browser.runtime.sendMessage(message)}
    clock={systemClock}
    categories={BUILT_IN_CATEGORIES}
    lang={lang}
    policySource={{ read: managedStorageReader(browser.storage.managed), changes: browser.storage.onChanged }}
  />,
  document.getElementById('app') as HTMLElement,
);
