import { render } from 'preact';
import { browser } from 'wxt/browser';
import { openDatabase } from '@/utils/db';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { managedStorageReader } from '@/utils/policy';
import { ReportApp } from './ReportApp';
import '@/components/styles.css';

// Stage marks, read by `BENCH_DEBUG=1 npm run bench -- picker` (scripts/bench/figures/picker.ts).
performance.mark('flagline:report:script');

/** The report form for a capture (`report.html?capture=<id>`), opened in an extension window. */
document.documentElement.lang = uiLanguageTag();
document.title = translate('evidence_windowTitle');

const captureId = new URLSearchParams(location.search).get('capture') ?? '';
render(
  <ReportApp
    captureId={captureId}
    db={openDatabase()}
    send={(message) => browser.runtime.sendMessage(message)}
    session={browser.storage.session}
    close={() => window.close()}
    policySource={{ read: managedStorageReader(browser.storage.managed), changes: browser.storage.onChanged }}
  />,
  document.getElementById('app') as HTMLElement,
);
performance.mark('flagline:report:rendered');
