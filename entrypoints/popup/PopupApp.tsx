import { useEffect, useMemo } from 'preact/hooks';
import { PopupView } from '@/components/PopupView';
import { BUILT_IN_CATEGORIES, isMetadataOnly } from '@/utils/categories';
import type { DraftStore } from '@/utils/drafts';
import { uiLanguageTag } from '@/utils/i18n';
import { sendChecked } from '@/utils/lazy-checks';
import type { SendRaw } from '@/utils/messaging';
import { labelLanguage, submitContext } from '@/utils/policy-view';
import type { ReportDraft } from '@/utils/report-form';
import { useT } from '@/utils/ui/i18n';
import type { PlacedFirstScreen } from '@/utils/ui/first-screen';
import { popupSettings, useChannelName, useHandOver, usePopupState, usePopupTab, useReadyMark } from '@/utils/ui/popup';
import { useStatusRefresh } from '@/utils/ui/status-refresh';
import { useSubmitReport } from '@/utils/ui/submit';

interface Props {
  tabId: number | undefined;
  /** To the background, which reads the outbox, settings and policy for the popup (it opens no database). */
  send: SendRaw;
  drafts: DraftStore;
  openSettings: () => void;
  openWorkspace?: () => void;
  /** After the picker started: the real popup closes so the user can point at the page. */
  onPickerStarted?: () => void;
  /** Opens the hand-off companion for a report (issue 16); called straight from the click. */
  openHandoff?: (id: string) => void;
  /** Opens "Where should your reports go?". */
  openFirstRun?: () => void;
  /** How often to ask the background again while open (default `POPUP_POLL_MS`; tests ask more often). */
  pollMs?: number;
  /** Told, at each answer of the background, whether the good-faith statement stands on this device (for the next first screen). */
  onGoodFaithKnown?: (standing: boolean) => void;
  /** The first screen popup.html showed until now (utils/ui/first-screen.ts), bound to where this popup is drawn. */
  firstScreen?: PlacedFirstScreen;
}

/** Wires the popup: the tab description, the draft, submitting, and live outbox state. */
export function PopupApp({
  tabId,
  send,
  drafts,
  openSettings,
  openWorkspace,
  onPickerStarted,
  openHandoff,
  openFirstRun,
  pollMs,
  firstScreen,
  onGoodFaithKnown,
}: Props) {
  const t = useT();
  const { tab, loadError, draft, update, clear } = usePopupTab(tabId, send, drafts);
  const { errors, clearErrors, submitError, setSubmitError, showError, busy, submittedId, reset, submit: submitDraft } = useSubmitReport(send);
  // An answer that failed its check (`invalid`) shows as an error instead of the form.
  const { state: popupState, invalid, refresh } = usePopupState(send, submittedId, pollMs);
  const { submitted, recent } = popupState?.outbox ?? {};
  // Whoever looks sees fresh news of the reports shown (at most once a minute per channel).
  useStatusRefresh(
    send,
    recent?.map((record) => record.id),
  );
  // Parsed once per answer of the background, not at every keystroke.
  const state = useMemo(() => (popupState ? popupSettings(popupState) : undefined), [popupState]);
  const endpoint = state?.settings.endpointUrl;
  const context = state ? submitContext(state, labelLanguage(uiLanguageTag(t))) : undefined;
  const categories = context?.categories ?? [];
  // The hand-off catalogue loads only once there is a report to offer hand-off for.
  const channelName = useChannelName(state && (!!recent?.length || !!submitted) ? state.policy : undefined, uiLanguageTag(t));
  useReadyMark(!!tab && !!state);
  const standing = state ? !!state.goodFaith : undefined;
  useEffect(() => {
    if (standing !== undefined) onGoodFaithKnown?.(standing);
  }, [standing]);

  const updateDraft = (next: ReportDraft) => {
    update(next);
    clearErrors();
  };

  const submit = async () => {
    if (!tab?.reportable || !context) return;
    const tabId = tab.tabId;
    await submitDraft(draft, context, tabId, {}, () => clear(tabId));
    refresh();
  };

  const startPicker = async () => {
    if (!tab?.reportable) return;
    setSubmitError(undefined);
    try {
      // A metadata-only choice made before picking means no pixels are captured at all.
      const metadataOnly = isMetadataOnly(categories.length ? categories : BUILT_IN_CATEGORIES, draft.category, draft.subReason);
      await sendChecked(send, 'startPicker', { tabId: tab.tabId, metadataOnly });
      onPickerStarted?.();
    } catch (error) {
      showError(error);
    }
  };

  const failed = loadError ?? invalid;
  // The first screen (popup.html) gives way once this popup can show its answers: what the user
  // did there is kept in the draft and done again here.
  useHandOver(firstScreen, !!failed || (!!tab && !!state), (changes) => {
    if (tab?.reportable) updateDraft({ ...draft, ...changes });
  });

  return (
    <PopupView
      failed={failed}
      tab={tab}
      context={context}
      draft={draft}
      errors={errors}
      submitError={submitError}
      busy={busy}
      submittedId={submittedId}
      outbox={popupState?.outbox}
      endpoint={endpoint}
      organizationName={state?.view.organizationName}
      supportUrl={state?.view.supportUrl}
      channelName={channelName}
      onDraftChange={updateDraft}
      onSubmit={() => void submit()}
      onStartPicker={() => void startPicker()}
      onReportAnother={reset}
      onRetryOutbox={() => void sendChecked(send, 'flushOutbox', { force: true }).then(refresh, showError)}
      onRetryReport={(id) => void sendChecked(send, 'retryReport', { id }).then(refresh, showError)}
      openSettings={openSettings}
      openWorkspace={openWorkspace}
      openFirstRun={openFirstRun}
      openHandoff={openHandoff}
    />
  );
}
