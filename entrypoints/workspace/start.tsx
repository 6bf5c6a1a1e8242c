import { render } from 'preact';
import { browser } from 'wxt/browser';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { openDatabase } from '@/utils/db';
import { translate, uiLanguageTag } from '@/utils/i18n';
import type { ReportRecord } from '@/utils/schema/record';
import { companionPath, openCompanion } from '@/utils/handoff/open';
import { systemClock } from '@/utils/time';
import { reportEvidence } from '@/utils/workspace/evidence';
import { readFirstSlice, timeFormatter, within } from '@/utils/workspace/open';
import { WorkspaceApp } from './WorkspaceApp';

/** Renders the workspace; `firstRead` is the newest reports, already being read by main.tsx. */
export function startWorkspace(firstRead: Promise<ReportRecord[]>): void {
  const db = openDatabase();
  // Should the plain read fail, the same rows come through Dexie.
  const firstSlice = firstRead.catch(() => readFirstSlice(db));
  const lang = uiLanguageTag();
  document.documentElement.lang = lang;
  document.title = translate('workspace_title');
  timeFormatter(lang);
  // The policy code (and the schema library under it) loads after the first render.
  const readPolicy = () => import('@/utils/policy').then((policy) => policy.managedStorageReader(browser.storage.managed)());

  // The side panel opens in answer to a click, so the window is known before it (utils/handoff/open.ts).
  let windowId: number | undefined;
  void browser.windows.getCurrent().then((current) => (windowId = current.id));
  const openHandoff = (ids: string[]) => void openCompanion(browser, windowId, companionPath(ids));

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
        openHandoff={openHandoff}
      />,
      document.getElementById('app') as HTMLElement,
    ),
  );
}
