import { render } from 'preact';
import { browser } from 'wxt/browser';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { ReportApp } from './ReportApp';
import '@/components/styles.css';

// Stage marks, read by `BENCH_DEBUG=1 npm run bench -- picker` (scripts/bench/figures/picker.ts).
performance.mark('flagline:report:script');

/**
 * The report form for a capture (`report.html?capture=<id>`), opened in an extension window. The
 * form shows first; the database, the policy and the schemas (connect.tsx) load right after.
 */
document.documentElement.lang = uiLanguageTag();
document.title = translate('evidence_windowTitle');

const captureId = new URLSearchParams(location.search).get('capture') ?? '';
render(
  <ReportApp
    captureId={captureId}
    send={(message) => browser.runtime.sendMessage(message)}
    session={browser.storage.session}
    close={() => window.close()}
    connect={() => import('./connect').then(({ connectInBrowser }) => connectInBrowser())}
  />,
  document.getElementById('app') as HTMLElement,
);
performance.mark('flagline:report:rendered');
