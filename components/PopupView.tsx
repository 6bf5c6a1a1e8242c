import { OutboxSummary } from './OutboxSummary';
import { PageSummary } from './PageSummary';
import { SupportLink } from './PolicyNotice';
import { RecentReports } from './RecentReports';
import { ReportForm } from './ReportForm';
import { SubmissionStatus } from './SubmissionStatus';
import { UnreportableNotice } from './UnreportableNotice';
import type { SubmitContext } from '@/utils/policy-view';
import type { DraftErrors, ReportDraft } from '@/utils/report-form';
import type { PopupState, TabDescription } from '@/utils/schema/messages';
import { useT } from '@/utils/ui/i18n';

export interface PopupViewProps {
  /** Why the popup cannot show its form (an answer failed its check, the draft did not load), translated. */
  failed?: string;
  tab?: TabDescription;
  /** What submitting needs (categories, policy rules); the form waits for it. */
  context?: SubmitContext;
  draft: ReportDraft;
  errors: DraftErrors;
  submitError?: string;
  busy: boolean;
  submittedId?: string;
  outbox?: PopupState['outbox'];
  endpoint?: string;
  organizationName?: string;
  supportUrl?: string;
  channelName?: (id: string) => string;
  onDraftChange: (draft: ReportDraft) => void;
  onSubmit: () => void;
  onStartPicker: () => void;
  onReportAnother: () => void;
  onRetryOutbox: () => void;
  onRetryReport: (id: string) => void;
  openSettings: () => void;
  openWorkspace?: () => void;
  openFirstRun?: () => void;
  openHandoff?: (id: string) => void;
}

/**
 * What the popup shows, from its props alone: PopupApp wires it to the background, and the build
 * renders its first screen into popup.html (scripts/first-screen/render.tsx) so the form is on
 * screen before any script runs. Buttons the first screen has carry ids, so a click made on it
 * is made again on the live popup (utils/ui/early-form.ts).
 */
export function PopupView(props: PopupViewProps) {
  const t = useT();
  const { failed, tab, context, outbox } = props;
  let main;
  if (failed) {
    main = (
      <p class="form-error" role="alert">
        {failed}
      </p>
    );
  } else if (!tab || !context) {
    main = <p class="hint">{t('popup_loading')}</p>;
  } else if (!tab.reportable) {
    main = <UnreportableNotice reason={tab.reason} />;
  } else if (props.submittedId) {
    main = (
      <>
        <PageSummary title={tab.title} url={tab.url} />
        <SubmissionStatus
          record={outbox?.submitted}
          onReportAnother={props.onReportAnother}
          noEndpoint={!props.endpoint}
          {...(props.openHandoff ? { onHandoff: props.openHandoff } : {})}
        />
      </>
    );
  } else {
    // Category first and Submit report in view; picking a part of the page and the page's
    // details come after. The first screen knows no page yet (an empty address): no summary.
    main = (
      <>
        <ReportForm
          categories={context.categories}
          draft={props.draft}
          errors={props.errors}
          submitError={props.submitError}
          busy={props.busy}
          explanationRequired={context.requireExplanation}
          goodFaithAccepted={context.goodFaithAccepted}
          onChange={props.onDraftChange}
          onSubmit={props.onSubmit}
        />
        <button type="button" id="select-on-page" class="select-on-page" aria-describedby="select-on-page-hint" onClick={props.onStartPicker}>
          {t('picker_selectOnPage')}
        </button>
        <p id="select-on-page-hint" class="hint">
          {t('picker_selectOnPageHint')}
        </p>
        {tab.url && <PageSummary title={tab.title} url={tab.url} />}
      </>
    );
  }

  return (
    <div class="popup">
      <header>
        <h1>{t('popup_title')}</h1>
        <div class="header-links">
          {props.openWorkspace && (
            <button type="button" id="open-workspace" class="link" onClick={props.openWorkspace}>
              {t('workspace_open')}
            </button>
          )}
          <button type="button" id="open-settings" class="link" onClick={props.openSettings}>
            {t('popup_openSettings')}
          </button>
          {props.openFirstRun && (
            <button type="button" id="open-first-run" class="link" onClick={props.openFirstRun}>
              {t('popup_whereReportsGo')}
            </button>
          )}
        </div>
      </header>
      <main>{main}</main>
      <footer>
        {outbox && <OutboxSummary counts={outbox.counts} lastError={outbox.lastError} onRetry={props.onRetryOutbox} />}
        {props.organizationName && <p class="organization">{t('policy_popupOrganization', props.organizationName)}</p>}
        {props.supportUrl && <SupportLink url={props.supportUrl} />}
        {outbox?.paused && (
          <p class="delivery-paused" role="alert">
            {t('delivery_paused')}
          </p>
        )}
        {outbox && <RecentReports records={outbox.recent} onRetry={props.onRetryReport} {...(props.channelName ? { channelName: props.channelName } : {})} />}
        {props.endpoint && <p class="hint endpoint">{t('popup_sendingTo', props.endpoint)}</p>}
      </footer>
    </div>
  );
}
