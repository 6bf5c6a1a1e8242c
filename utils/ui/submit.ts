import { useState } from 'preact/hooks';
import { errorMessageKey, toFlaglineError } from '../errors';
import { useT } from './i18n';
import { loadChecks } from '../lazy-checks';
import type { SendRaw } from '../messaging';
import type { SubmitContext } from '../policy-view';
import type { DraftErrors, ReportDraft } from '../report-form';
import type { SubmitReportRequest } from '../schema/messages';

/** What the popup and the report window add to the form's request (the pick's evidence choices). */
export type SubmitExtra = Pick<SubmitReportRequest, 'captureId' | 'exclude'>;

/**
 * "Submit report", shared by the popup and the report window: checks the draft with the one
 * `validateDraft`, sends it, and keeps the form's errors, the busy flag and the submitted id. On
 * any failure the draft stays as typed, so nothing the user entered is lost.
 */
export function useSubmitReport(send: SendRaw) {
  const t = useT();
  const [errors, setErrors] = useState<DraftErrors>({});
  const [submitError, setSubmitError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [submittedId, setSubmittedId] = useState<string>();

  const showError = (error: unknown) => {
    const typed = toFlaglineError(error);
    setSubmitError(t(errorMessageKey(typed.code), typed.detail));
  };

  /** `onSubmitted` runs once the background has stored the report (e.g. to forget the draft). */
  const submit = async (draft: ReportDraft, context: SubmitContext, tabId: number, extra: SubmitExtra, onSubmitted: () => Promise<void>) => {
    // The checks load with the page's first screen (the popup's, in parallel); usually they are here.
    let checks: Awaited<ReturnType<typeof loadChecks>>;
    try {
      checks = await loadChecks();
    } catch (error) {
      showError(error);
      return;
    }
    const { validateDraft, sendMessage } = checks;
    const checked = validateDraft(draft, context, tabId);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    setSubmitError(undefined);
    try {
      const { id } = await sendMessage(send, 'submitReport', { ...checked.request, ...extra });
      await onSubmitted();
      setSubmittedId(id);
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };

  return {
    errors,
    /** The user changed the draft: field errors no longer apply. */
    clearErrors: () => {
      if (Object.keys(errors).length > 0) setErrors({});
    },
    submitError,
    setSubmitError,
    showError,
    busy,
    submittedId,
    /** "Report another": back to the form. */
    reset: () => setSubmittedId(undefined),
    submit,
  };
}
