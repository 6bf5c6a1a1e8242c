import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import type { DraftStore } from '../drafts';
import { errorMessageKey, toFlaglineError } from '../errors';
import { sendMessage, type SendRaw } from '../messaging';
import { policyView, type PolicyView } from '../policy-view';
import type { ParsedPolicy } from '../schema/policy';
import { EMPTY_DRAFT, type ReportDraft } from '../report-form';
import type { PopupState, TabDescription } from '../schema/messages';
import { useT } from './i18n';

/** How often the open popup asks the background again (delivery progress, status news, policy changes). */
export const POPUP_POLL_MS = 1000;

/**
 * What the popup shows besides the tab, from the background (`popupState`): settings, the
 * managed policy, the standing good-faith acceptance, and delivery — the outbox counts, the
 * latest delivery error, the newest reports, whether delivery is paused, and the report just
 * submitted (`submittedId`). The popup opens no database: it asks when it opens and again every
 * `pollMs` while it is open, which also survives the worker being stopped and started again (the
 * next ask wakes it). `refresh` asks at once (after a submit or a retry).
 */
export function usePopupState(send: SendRaw, submittedId: string | undefined, pollMs: number = POPUP_POLL_MS) {
  const [state, setState] = useState<PopupState>();
  const [asked, setAsked] = useState(0);
  // Asked during the commit, not after the next paint (useEffect): the form waits for the answer.
  useLayoutEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      try {
        const answer = await sendMessage(send, 'popupState', submittedId ? { submittedId } : {});
        if (!stopped) setState(answer);
      } catch (error) {
        // The last answer stays on screen; the next ask may reach a restarted worker.
        console.warn('Flagline could not read the outbox:', error);
      } finally {
        if (!stopped) timer = setTimeout(() => void ask(), pollMs);
      }
    };
    void ask();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [send, submittedId, pollMs, asked]);
  return { state, refresh: () => setAsked((n) => n + 1) };
}

/**
 * The effective settings and policy view the popup's form needs, from the background's answer:
 * the background parsed the policy (`readPopupState`), so no schema is needed here.
 */
export function popupSettings(state: PopupState): PopupSettings {
  const policy = state.policy;
  return { settings: state.settings, policy, view: policyView(policy), ...(state.goodFaith ? { goodFaith: state.goodFaith } : {}) };
}
export interface PopupSettings {
  settings: PopupState['settings'];
  policy: ParsedPolicy;
  view: PolicyView;
  goodFaith?: PopupState['goodFaith'];
}

type Catalogue = typeof import('../handoff/catalogue');

/**
 * The name of the official channel reports are handed off to, as a function of a report's
 * channel id. The catalogue (data and schema) loads with a dynamic import, only when `policy` is
 * given — once the popup has a report to show — so it is not part of the popup's first screen.
 */
export function useChannelName(policy: ParsedPolicy | undefined, languageTag: string): ((id: string) => string) | undefined {
  const [catalogue, setCatalogue] = useState<Catalogue>();
  const wanted = policy !== undefined;
  useEffect(() => {
    if (!wanted || catalogue) return;
    import('../handoff/catalogue').then(setCatalogue, (error: unknown) => console.warn('Flagline could not load the channel catalogue:', error));
  }, [wanted]);
  if (!policy || !catalogue) return undefined;
  return catalogue.channelNameIn(catalogue.offeredChannels(catalogue.SHIPPED_CATALOGUE, policy.values.handoff), catalogue.catalogueLanguage(languageTag));
}

/** Marks `flagline:ready` (the bench's `popup.readyMs`) once the form is on screen and usable. */
export function useReadyMark(ready: boolean): void {
  useEffect(() => {
    if (ready && performance.getEntriesByName('flagline:ready').length === 0) performance.mark('flagline:ready');
  }, [ready]);
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

  // Asked during the commit, not after the next paint (useEffect): these answers are what the form waits for.
  useLayoutEffect(() => {
    if (tabId === undefined) {
      setTab({ reportable: false, tabId: 0, reason: 'no-tab' });
      return;
    }
    void Promise.all([sendMessage(send, 'describeTab', { tabId }), drafts.load(tabId)])
      .then(
        ([description, saved]) => {
          setDraft(saved);
          setTab(description);
        },
        (error) => setLoadError(t(errorMessageKey(toFlaglineError(error).code), toFlaglineError(error).detail)),
      )
      // Opening the popup is a good moment to deliver anything that is due — once the form has
      // what it needs, so delivery does not hold up the worker's first answers.
      .finally(() => sendMessage(send, 'flushOutbox', { force: false }).catch((error: unknown) => console.warn('Flagline could not start delivery:', error)));
  }, [tabId]);

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
