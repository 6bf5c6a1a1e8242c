import { useEffect, useMemo } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { EvidencePreview } from '@/components/EvidencePreview';
import { SubmissionStatus } from '@/components/SubmissionStatus';
import { BUILT_IN_CATEGORIES, isMetadataOnly } from '@/utils/categories';
import { openDatabase, type FlaglineDB } from '@/utils/db';
import { uiLanguageTag } from '@/utils/i18n';
import { readWithDeliveryState } from '@/utils/leases';
import type { SendRaw } from '@/utils/messaging';
import { labelLanguage, managedStorageReader, submitContext, type SubmitContext } from '@/utils/policy';
import { parseDraft, type ReportDraft } from '@/utils/report-form';
import { useLiveQuery } from '@/utils/ui/hooks';
import { useT } from '@/utils/ui/i18n';
import { useEffectiveState, type PolicySource } from '@/utils/ui/policy';
import { usePickEvidence } from '@/utils/ui/report-window';
import { useSubmitReport } from '@/utils/ui/submit';

/**
 * The report window's data side, loaded once its form is on screen (ReportApp.tsx): IndexedDB
 * (Dexie), the policy, the schemas a draft is checked with, and the parts of the window that show
 * the capture and the submitted report. None of it is needed to show the form, and loading it
 * first kept the form off screen for ~100 ms (scripts/bench/figures/picker.ts, report.formReadyMs).
 */
export function reportConnection(db: FlaglineDB, policySource: PolicySource) {
  return { db, policySource, ReportConnector, EvidencePreview, SubmissionStatus, parseDraft };
}
export type ReportConnection = ReturnType<typeof reportConnection>;

/** In the extension: its database and the managed policy. */
export const connectInBrowser = (): ReportConnection =>
  reportConnection(openDatabase(), { read: managedStorageReader(browser.storage.managed), changes: browser.storage.onChanged });

/** What the form shows and does that needs the data side. */
export interface ReportState {
  /** Categories and rules under the policy; undefined until the policy is read. */
  context?: SubmitContext;
  evidence: ReturnType<typeof usePickEvidence>;
  submission: ReturnType<typeof useSubmitReport>;
  submitted?: Awaited<ReturnType<typeof readWithDeliveryState>>;
}

interface ConnectorProps {
  db: FlaglineDB;
  policySource: PolicySource;
  captureId: string;
  send: SendRaw;
  /** The form's draft: a metadata-only choice deletes the captured pixels. */
  draft: ReportDraft;
  onState: (state: ReportState) => void;
}

/** Runs the data side's hooks and hands their state to the form; renders nothing itself. */
function ReportConnector({ db, policySource, captureId, send, draft, onState }: ConnectorProps) {
  const t = useT();
  const policy = useEffectiveState(db, policySource);
  const context = useMemo(() => (policy ? submitContext(policy, labelLanguage(uiLanguageTag(t))) : undefined), [policy, t]);
  const categories = context?.categories ?? BUILT_IN_CATEGORIES;
  const evidence = usePickEvidence(db, captureId, isMetadataOnly(categories, draft.category, draft.subReason));
  const submission = useSubmitReport(send);
  const submitted = useLiveQuery(() => (submission.submittedId ? readWithDeliveryState(db, submission.submittedId) : undefined), [db, submission.submittedId]);
  const { capture, rows, artifacts, metadataOnly, verification } = evidence;
  const { errors, submitError, busy, submittedId } = submission;
  // Handed up when something shown changed (the hooks' functions are new on every render).
  useEffect(
    () => onState({ context, evidence, submission, submitted }),
    [context, capture, rows, artifacts, metadataOnly, verification, errors, submitError, busy, submittedId, submitted],
  );
  return null;
}
