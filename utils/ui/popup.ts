import { useEffect, useState } from 'preact/hooks';
import type { FlaglineDB } from '../db';
import type { DraftStore } from '../drafts';
import { errorMessageKey, toFlaglineError } from '../errors';
import { countOutbox, lastDeliveryError, readWithDeliveryState, recentReports } from '../leases';
import { sendMessage, type SendRaw } from '../messaging';
import { getDeliveryPause } from '../outbox';
import { EMPTY_DRAFT, type ReportDraft } from '../report-form';
import type { TabDescription } from '../schema/messages';
import { useLiveQuery } from './hooks';
import { useT } from './i18n';

/**
 * What the popup shows of delivery, kept live: the outbox counts, the latest delivery error, the
 * newest reports, whether delivery is paused, and the report just submitted (`submittedId`).
 */
export function useOutboxState(db: FlaglineDB, submittedId: string | undefined) {
  const counts = useLiveQuery(() => countOutbox(db), [db]);
  const submitted = useLiveQuery(() => (submittedId ? readWithDeliveryState(db, submittedId) : undefined), [db, submittedId]);
  const lastError = useLiveQuery(() => lastDeliveryError(db), [db]);
  const recent = useLiveQuery(() => recentReports(db), [db]);
  const paused = useLiveQuery(() => getDeliveryPause(db), [db]);
  return { counts, submitted, lastError, recent, paused };
}

/**
 * The popup's tab and its draft. Without a tab the page is not reportable; otherwise the
 * background describes the tab and the draft saved for it comes back (`loadError`: why that
 * failed, translated). Opening the popup also asks the background to deliver what is due.
 * `update` keeps each change of the draft for the tab; `clear` forgets it after a submit.
 */
export function usePopupTab(tabId: number | undefined, send: SendRaw, drafts: DraftStore) {
  const t = useT();
  const [tab, setTab] = useState<TabDescription>();
  const [loadError, setLoadError] = useState<string>();
  const [draft, setDraft] = useState<ReportDraft>(EMPTY_DRAFT);

  useEffect(() => {
    if (tabId === undefined) {
      setTab({ reportable: false, tabId: 0, reason: 'no-tab' });
      return;
    }
    Promise.all([sendMessage(send, 'describeTab', { tabId }), drafts.load(tabId)]).then(
      ([description, saved]) => {
        setDraft(saved);
        setTab(description);
      },
      (error) => setLoadError(t(errorMessageKey(toFlaglineError(error).code), toFlaglineError(error).detail)),
    );
    // Opening the popup is a good moment to deliver anything that is due.
    sendMessage(send, 'flushOutbox', { force: false }).catch((error: unknown) => console.warn('Flagline could not start delivery:', error));
  }, [tabId]);

  useEffect(() => {
    if (tab) performance.mark('flagline:ready');
  }, [tab]);

  const update = (next: ReportDraft) => {
    setDraft(next);
    if (tabId !== undefined) void drafts.save(tabId, next);
  };
  const clear = async (id: number) => {
    await drafts.clear(id);
    setDraft(EMPTY_DRAFT);
  };
  return { tab, loadError, draft, update, clear };
}
