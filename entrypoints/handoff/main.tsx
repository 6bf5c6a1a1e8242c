import { render } from 'preact';
import { browser } from 'wxt/browser';
import { HandoffCompanion } from '@/components/handoff/HandoffCompanion';
import { openDatabase } from '@/utils/db';
import { translate, uiLanguageTag } from '@/utils/i18n';
import { managedStorageReader } from '@/utils/policy';
import { systemClock } from '@/utils/time';
import { useHandoff, type HandoffDeps } from '@/utils/ui/handoff';
import { reportEvidence } from '@/utils/workspace/evidence';
import '@/components/styles.css';
import '@/components/handoff/handoff.css';

/**
 * The hand-off companion (`handoff.html?reports=<id>,<id>&channel=<id>`), in Chrome's side panel,
 * Firefox's sidebar or a small window (utils/handoff/open.ts). Wiring only: utils/ui/handoff.ts.
 */
document.documentElement.lang = uiLanguageTag();
document.title = translate('handoff_companionTitle');

const query = new URLSearchParams(location.search);
const db = openDatabase();
const deps: HandoffDeps = {
  db,
  policySource: { read: managedStorageReader(browser.storage.managed), changes: browser.storage.onChanged },
  evidence: reportEvidence(db),
  reportIds: (query.get('reports') ?? '').split(',').filter(Boolean),
  ...(query.get('channel') ? { channelId: query.get('channel') as string } : {}),
  // A tab of its own, beside the companion: Flagline never scripts the official page.
  openTab: async (url) => void (await browser.tabs.create({ url, active: true })),
  writeClipboard: (text) => navigator.clipboard.writeText(text),
  clock: systemClock,
};

function App() {
  const handoff = useHandoff(deps);
  return (
    <main class="handoff">
      <h1>{translate('handoff_title')}</h1>
      <HandoffCompanion handoff={handoff} language={uiLanguageTag().startsWith('zh') ? 'zh_CN' : 'en'} />
    </main>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
