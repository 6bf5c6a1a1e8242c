import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { DraftStore } from '../drafts';
import type { EarlyInput, PlacedFirstScreen } from './first-screen';
import { errorMessageKey, toFlaglineError } from '../errors';
import { EMPTY_DRAFT } from '../draft-defaults';
import { loadChecks, sendChecked } from '../lazy-checks';
import { askRaw, uncheckedAnswer } from '../message-reply';
import type { SendRaw } from '../messaging';
import { policyView, type PolicyView } from '../policy-view';
import type { ParsedPolicy } from '../schema/policy';
import type { ReportDraft } from '../report-form';
import type { MessageType, PopupState, ResponseOf, TabDescription } from '../schema/messages';
import { useT } from './i18n';

/** How often the open popup asks the background again (delivery progress, status news, policy changes). */
export const POPUP_POLL_MS = 1000;

/**
 * The popup's first answer to `type`, drawn at once from its type while the zod checks load
 * (utils/message-reply.ts says why that is sound for the background's replies); `onChecked` gets
 * the same reply checked against the contract right after, or `onInvalid` the translated reason
 * it failed — then the popup shows that error instead of its form.
 */
function askFirst<K extends MessageType>(type: K, raw: unknown, onInvalid: (message: string) => void, t: ReturnType<typeof useT>): ResponseOf<K> {
  const answer = uncheckedAnswer<K>(raw);
  loadChecks()
    .then(({ checkReply }) => checkReply(type, raw))
    .catch((error: unknown) => {
      const typed = toFlaglineError(error);
      onInvalid(t(errorMessageKey(typed.code), typed.detail));
    });
  return answer;
}

/**
 * What the popup shows besides the tab, from the background (`popupState`): settings, the
 * managed policy, the standing good-faith acceptance, and delivery — the outbox counts, the
 * latest delivery error, the newest reports, whether delivery is paused, and the report just
 * submitted (`submittedId`). The popup opens no database: it asks when it opens and again every
 * `pollMs` while it is open, which also survives the worker being stopped and started again (the
 * next ask wakes it). `refresh` asks at once (after a submit or a retry). The first answer is
 * drawn before its check (`askFirst`); `invalid`: why it failed the check. Every later answer is
 * checked before it is shown.
 */
export function usePopupState(send: SendRaw, submittedId: string | undefined, pollMs: number = POPUP_POLL_MS) {
  const t = useT();
  const [state, setState] = useState<PopupState>();
  const [invalid, setInvalid] = useState<string>();
  const [asked, setAsked] = useState(0);
  const first = useRef(true);
  // Asked during the commit, not after the next paint (useEffect): the form waits for the answer.
  useLayoutEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      try {
        const payload = submittedId ? { submittedId } : {};
        let answer: PopupState;
        if (first.current) {
          first.current = false;
          answer = askFirst('popupState', await askRaw(send, 'popupState', payload), setInvalid, t);
        } else answer = await sendChecked(send, 'popupState', payload);
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
  return { state, invalid, refresh: () => setAsked((n) => n + 1) };
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

/**
 * Hands the first screen (popup.html's, utils/ui/first-screen.ts) over to the live popup once it
 * is `ready` to show its answers: what the user changed there goes to `apply` (the draft), and
 * in the commit that shows it, the live popup takes the first screen's place, and what was
 * pressed there is pressed again.
 */
export function useHandOver(firstScreen: PlacedFirstScreen | undefined, ready: boolean, apply: (changes: EarlyInput['changes']) => void): void {
  const [early, setEarly] = useState<EarlyInput>();
  useLayoutEffect(() => {
    if (!firstScreen || !ready || early) return;
    const taken = firstScreen.take();
    if (Object.keys(taken.changes).length) apply(taken.changes);
    setEarly(taken);
  }, [ready]);
  useLayoutEffect(() => {
    if (firstScreen && early) firstScreen.handOver(early);
  }, [early]);
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
 * failed, or why the description failed its check, translated). Opening the popup also asks the background to deliver what is due.
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
    const describe = askRaw(send, 'describeTab', { tabId }).then((raw) => askFirst('describeTab', raw, setLoadError, t));
    void Promise.all([describe, drafts.load(tabId)])
      .then(
        ([description, saved]) => {
          setDraft(saved);
          setTab(description);
        },
        (error) => setLoadError(t(errorMessageKey(toFlaglineError(error).code), toFlaglineError(error).detail)),
      )
      // Opening the popup is a good moment to deliver anything that is due — once the form has
      // what it needs, so delivery does not hold up the worker's first answers.
      .finally(() => sendChecked(send, 'flushOutbox', { force: false }).catch((error: unknown) => console.warn('Flagline could not start delivery:', error)));
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
