import { useMemo } from 'preact/hooks';
import { OutboxSummary } from '@/components/OutboxSummary';
import { PageSummary } from '@/components/PageSummary';
import { SupportLink } from '@/components/PolicyNotice';
import { RecentReports } from '@/components/RecentReports';
import { ReportForm } from '@/components/ReportForm';
import { SubmissionStatus } from '@/components/SubmissionStatus';
import { UnreportableNotice } from '@/components/UnreportableNotice';
import { BUILT_IN_CATEGORIES, isMetadataOnly } from '@/utils/categories';
import type { DraftStore } from '@/utils/drafts';
import { uiLanguageTag } from '@/utils/i18n';
import { sendChecked } from '@/utils/lazy-checks';
import type { SendRaw } from '@/utils/messaging';
import { labelLanguage, submitContext } from '@/utils/policy-view';
import type { ReportDraft } from '@/utils/report-form';
import { useT } from '@/utils/ui/i18n';
import { popupSettings, useChannelName, usePopupState, usePopupTab, useReadyMark } from '@/utils/ui/popup';
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
}

/** Wires the popup: the tab description, the draft, submitting, and live outbox state. */
export function PopupApp({ tabId, send, drafts, openSettings, openWorkspace, onPickerStarted, openHandoff, openFirstRun, pollMs }: Props) {
  const t = useT();
  const { tab, loadError, draft, update, clear } = usePopupTab(tabId, send, drafts);
  const { errors, clearErrors, submitError, setSubmitError, showError, busy, submittedId, reset, submit: submitDraft } = useSubmitReport(send);
  // An answer that failed its check (`invalid`) shows as an error instead of the form.
  const { state: popupState, invalid, refresh } = usePopupState(send, submittedId, pollMs);
  const { counts, submitted, lastError, recent, paused } = popupState?.outbox ?? {};
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
  let main;
  if (failed) {
    main = (
      <p class="form-error" role="alert">
        {failed}
      </p>
    );
  } else if (!tab || !state) {
    main = <p class="hint">{t('popup_loading')}</p>;
  } else if (!tab.reportable) {
    main = <UnreportableNotice reason={tab.reason} />;
  } else if (submittedId) {
    main = (
      <>
        <PageSummary title={tab.title} url={tab.url} />
        <SubmissionStatus record={submitted} onReportAnother={reset} noEndpoint={!endpoint} {...(openHandoff ? { onHandoff: openHandoff } : {})} />
      </>
    );
  } else {
    // Category first and Submit report in view; picking a part of the page and the page's
    // details come after.
    main = (
      <>
        <ReportForm
          categories={categories}
          draft={draft}
          errors={errors}
          submitError={submitError}
          busy={busy}
          explanationRequired={context?.requireExplanation}
          goodFaithAccepted={context?.goodFaithAccepted}
          onChange={updateDraft}
          onSubmit={() => void submit()}
        />
        <button type="button" class="select-on-page" aria-describedby="select-on-page-hint" onClick={() => void startPicker()}>
          {t('picker_selectOnPage')}
        </button>
        <p id="select-on-page-hint" class="hint">
          {t('picker_selectOnPageHint')}
        </p>
        <PageSummary title={tab.title} url={tab.url} />
      </>
    );
  }

  return (
    <div class="popup">
      <header>
        <h1>{t('popup_title')}</h1>
        <div class="header-links">
          {openWorkspace && (
            <button type="button" class="link" onClick={openWorkspace}>
              {t('workspace_open')}
            </button>
          )}
          <button type="button" class="link" onClick={openSettings}>
            {t('popup_openSettings')}
          </button>
          {openFirstRun && (
            <button type="button" class="link" onClick={openFirstRun}>
              {t('popup_whereReportsGo')}
            </button>
          )}
        </div>
      </header>
      <main>{main}</main>
      <footer>
        {counts && (
          <OutboxSummary
            counts={counts}
            lastError={lastError}
            onRetry={() => void sendChecked(send, 'flushOutbox', { force: true }).then(refresh, showError)}
          />
        )}
        {state?.view.organizationName && <p class="organization">{t('policy_popupOrganization', state.view.organizationName)}</p>}
        {state?.view.supportUrl && <SupportLink url={state.view.supportUrl} />}
        {paused && (
          <p class="delivery-paused" role="alert">
            {t('delivery_paused')}
          </p>
        )}
        {recent && (
          <RecentReports
            records={recent}
            onRetry={(id) => void sendChecked(send, 'retryReport', { id }).then(refresh, showError)}
            {...(channelName ? { channelName } : {})}
          />
        )}
        {endpoint && <p class="hint endpoint">{t('popup_sendingTo', endpoint)}</p>}
      </footer>
    </div>
  );
}
