import { OutboxSummary } from '@/components/OutboxSummary';
import { PageSummary } from '@/components/PageSummary';
import { SupportLink } from '@/components/PolicyNotice';
import { RecentReports } from '@/components/RecentReports';
import { ReportForm } from '@/components/ReportForm';
import { SubmissionStatus } from '@/components/SubmissionStatus';
import { UnreportableNotice } from '@/components/UnreportableNotice';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import type { FlaglineDB } from '@/utils/db';
import type { DraftStore } from '@/utils/drafts';
import { isMetadataOnly } from '@/utils/evidence/capture';
import { catalogueLanguage, channelNameIn, offeredChannels, SHIPPED_CATALOGUE } from '@/utils/handoff/catalogue';
import { uiLanguageTag } from '@/utils/i18n';
import { sendMessage, type SendRaw } from '@/utils/messaging';
import { labelLanguage, submitContext } from '@/utils/policy';
import type { ReportDraft } from '@/utils/report-form';
import { useT } from '@/utils/ui/i18n';
import { useEffectiveState, type PolicySource } from '@/utils/ui/policy';
import { useOutboxState, usePopupTab } from '@/utils/ui/popup';
import { useStatusRefresh } from '@/utils/ui/status-refresh';
import { useSubmitReport } from '@/utils/ui/submit';

interface Props {
  tabId: number | undefined;
  db: FlaglineDB;
  send: SendRaw;
  drafts: DraftStore;
  openSettings: () => void;
  /** The managed policy (organisation name, categories, fixed settings); none in plain tests. */
  policySource?: PolicySource;
  openWorkspace?: () => void;
  /** After the picker started: the real popup closes so the user can point at the page. */
  onPickerStarted?: () => void;
  /** Opens the hand-off companion for a report (issue 16); called straight from the click. */
  openHandoff?: (id: string) => void;
  /** Opens "Where should your reports go?". */
  openFirstRun?: () => void;
}

const NO_POLICY: PolicySource = { read: async () => ({}) };

/** Wires the popup: the tab description, the draft, submitting, and live outbox state. */
export function PopupApp({
  tabId,
  db,
  send,
  drafts,
  openSettings,
  policySource = NO_POLICY,
  openWorkspace,
  onPickerStarted,
  openHandoff,
  openFirstRun,
}: Props) {
  const t = useT();
  const { tab, loadError, draft, update, clear } = usePopupTab(tabId, send, drafts);
  const { errors, clearErrors, submitError, setSubmitError, showError, busy, submittedId, reset, submit: submitDraft } = useSubmitReport(send);
  const { counts, submitted, lastError, recent, paused } = useOutboxState(db, submittedId);
  // Whoever looks sees fresh news of the reports shown (at most once a minute per channel).
  useStatusRefresh(
    send,
    recent?.map((record) => record.id),
  );
  const state = useEffectiveState(db, policySource);
  const endpoint = state?.settings.endpointUrl;
  const context = state ? submitContext(state, labelLanguage(uiLanguageTag(t))) : undefined;
  const categories = context?.categories ?? [];
  const channelName = state ? channelNameIn(offeredChannels(SHIPPED_CATALOGUE, state.policy.values.handoff), catalogueLanguage(uiLanguageTag(t))) : undefined;

  const updateDraft = (next: ReportDraft) => {
    update(next);
    clearErrors();
  };

  const submit = async () => {
    if (!tab?.reportable || !context) return;
    const tabId = tab.tabId;
    await submitDraft(draft, context, tabId, {}, () => clear(tabId));
  };

  const startPicker = async () => {
    if (!tab?.reportable) return;
    setSubmitError(undefined);
    try {
      // A metadata-only choice made before picking means no pixels are captured at all.
      const metadataOnly = isMetadataOnly(categories.length ? categories : BUILT_IN_CATEGORIES, draft.category, draft.subReason);
      await sendMessage(send, 'startPicker', { tabId: tab.tabId, metadataOnly });
      onPickerStarted?.();
    } catch (error) {
      showError(error);
    }
  };

  let main;
  if (loadError) {
    main = (
      <p class="form-error" role="alert">
        {loadError}
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
          <OutboxSummary counts={counts} lastError={lastError} onRetry={() => void sendMessage(send, 'flushOutbox', { force: true }).catch(showError)} />
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
            onRetry={(id) => void sendMessage(send, 'retryReport', { id }).catch(showError)}
            {...(channelName ? { channelName } : {})}
          />
        )}
        {endpoint && <p class="hint endpoint">{t('popup_sendingTo', endpoint)}</p>}
      </footer>
    </div>
  );
}
