import { render } from 'preact';
import { browser } from 'wxt/browser';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { openDatabase } from '@/utils/db';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { systemClock } from '@/utils/time';
import { reportEvidence } from '@/utils/workspace/evidence';
import { readFirstSlice, timeFormatter, within } from '@/utils/workspace/open';
import { WorkspaceApp } from './WorkspaceApp';
import '@/components/styles.css';
import '@/components/workspace/workspace.css';

performance.mark('flagline:workspace-start');
// The newest reports are read first thing: IndexedDB works while the page sets itself up.
const db = openDatabase();
const firstSlice = readFirstSlice(db);
const lang = uiLanguageTag();
document.documentElement.lang = lang;
document.title = translate('workspace_title');
timeFormatter(lang);
// The policy code (and the schema library under it) loads after the first render.
const readPolicy = () => import('@/utils/policy').then(({ managedStorageReader }) => managedStorageReader(browser.storage.managed)());

// One render with the first rows already in it (no "Loading…" frame first), unless they are slow.
void within(firstSlice, 250).then((initial) =>
  render(
    <WorkspaceApp
      db={db}
      firstSlice={firstSlice}
      {...(initial ? { initialRecords: initial } : {})}
      evidence={reportEvidence(db)}
      send={(message) => browser.runtime.sendMessage(message)}
      clock={systemClock}
      categories={BUILT_IN_CATEGORIES}
      lang={lang}
      policySource={{ read: readPolicy, changes: browser.storage.onChanged }}
    />,
    document.getElementById('app') as HTMLElement,
  ),
);
