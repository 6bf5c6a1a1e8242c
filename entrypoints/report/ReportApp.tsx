import { useMemo, useState } from 'preact/hooks';
import { EvidencePreview } from '@/components/EvidencePreview';
import { EvidenceSummary } from '@/components/EvidenceSummary';
import { RedactEditor } from '@/components/RedactEditor';
import { ReportForm } from '@/components/ReportForm';
import { SubmissionStatus } from '@/components/SubmissionStatus';
import { BUILT_IN_CATEGORIES, findCategory, isMetadataOnly } from '@/utils/categories';
import type { FlaglineDB } from '@/utils/db';
import type { SessionArea } from '@/utils/drafts';
import { redactCapture } from '@/utils/evidence/redact';
import { pngDimensions } from '@/utils/evidence/screenshot';
import { errorMessageKey, toFlaglineError } from '@/utils/errors';
import { uiLanguageTag } from '@/utils/i18n';
import { readWithDeliveryState } from '@/utils/leases';
import type { SendRaw } from '@/utils/messaging';
import { labelLanguage, submitContext } from '@/utils/policy';
import type { ReportDraft } from '@/utils/report-form';
import type { ArtifactName } from '@/utils/schema/capture';
import { useLiveQuery } from '@/utils/ui/hooks';
import { useT } from '@/utils/ui/i18n';
import { useEffectiveState, type PolicySource } from '@/utils/ui/policy';
import { usePickEvidence, useSessionDraft } from '@/utils/ui/report-window';
import { useSubmitReport } from '@/utils/ui/submit';

interface Props {
  captureId: string;
  db: FlaglineDB;
  send: SendRaw;
  /** Keeps the form's contents if the window is reloaded. */
  session: SessionArea;
  close: () => void;
  /** The managed policy: the categories the school offers (its own included). */
  policySource?: PolicySource;
}

const NO_POLICY: PolicySource = { read: async () => ({}) };

/** Wires the report window: the capture from IndexedDB, its preview, the form, submitting. */
export function ReportApp({ captureId, db, send, session, close, policySource = NO_POLICY }: Props) {
  const t = useT();
  const policy = useEffectiveState(db, policySource);
  const context = useMemo(() => (policy ? submitContext(policy, labelLanguage(uiLanguageTag(t))) : undefined), [policy, t]);
  const categories = context?.categories ?? BUILT_IN_CATEGORIES;
  const { draft, update, forget } = useSessionDraft(session, `draft:capture:${captureId}`);
  const { capture, rows, artifacts, metadataOnly, verification } = usePickEvidence(db, captureId, isMetadataOnly(categories, draft.category, draft.subReason));
  const { errors, clearErrors, submitError, busy, submittedId, submit: submitDraft } = useSubmitReport(send);
  const [excluded, setExcluded] = useState<ReadonlySet<ArtifactName>>(new Set());
  const [revealed, setRevealed] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const [redacting, setRedacting] = useState<{ busy: boolean; error?: string }>();
  const viewportRow = rows?.find((row) => row.name === 'viewport.png');
  const viewportUrl = artifacts.find((a) => a.name === 'viewport.png')?.imageUrl;

  const redact = async (areas: Parameters<typeof redactCapture>[2], keepOriginal: boolean) => {
    setRedacting({ busy: true });
    try {
      await redactCapture(db, captureId, areas, { keepOriginal, now: Date.now() });
      setRedacting(undefined);
      setExpanded(true);
    } catch (error) {
      const typed = toFlaglineError(error);
      setRedacting({ busy: false, error: t(errorMessageKey(typed.code), typed.detail) });
    }
  };
  const submitted = useLiveQuery(() => (submittedId ? readWithDeliveryState(db, submittedId) : undefined), [db, submittedId]);

  const updateDraft = (next: ReportDraft) => {
    update(next);
    clearErrors();
  };

  const submit = async () => {
    // Until the policy is read, the categories and rules a submit must follow are unknown.
    if (!capture || !context) return;
    await submitDraft(draft, context, capture.tabId, { captureId, exclude: [...excluded] }, forget);
  };

  let main;
  if (submittedId) {
    main = (
      <>
        <p>{t('evidence_sent')}</p>
        <SubmissionStatus record={submitted} onReportAnother={close} />
      </>
    );
  } else if (capture === undefined) {
    main = <p class="hint">{t('evidence_loading')}</p>;
  } else if (capture === null) {
    main = (
      <p class="form-error" role="alert">
        {t('error_capture_missing')}
      </p>
    );
  } else if (redacting && viewportRow && viewportUrl && !metadataOnly) {
    main = (
      <RedactEditor
        imageUrl={viewportUrl}
        image={pngDimensions(viewportRow.bytes)}
        busy={redacting.busy}
        error={redacting.error}
        onApply={(areas, keepOriginal) => void redact(areas, keepOriginal)}
        onCancel={() => setRedacting(undefined)}
      />
    );
  } else {
    const blurred = !revealed && !!findCategory(categories, draft.category ?? '')?.blurPreviews;
    // Category first; the evidence is one line (expandable) so Submit report stays in view.
    main = (
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
      >
        <EvidenceSummary
          artifacts={artifacts}
          verification={verification}
          blurred={blurred}
          metadataOnly={metadataOnly}
          pending={!!capture.screenshotPending}
          expanded={expanded}
          onToggle={() => setExpanded(!expanded)}
        >
          <EvidencePreview
            target={capture.target}
            artifacts={artifacts}
            unavailable={capture.unavailable}
            excluded={excluded}
            onToggle={(name, include) => {
              const next = new Set(excluded);
              if (include) next.delete(name);
              else next.add(name);
              setExcluded(next);
            }}
            blurred={blurred}
            onReveal={() => setRevealed(true)}
            metadataOnly={metadataOnly}
            redactedAreas={capture.redactedAreas}
            onRedact={capture.screenshotPending ? undefined : () => setRedacting({ busy: false })}
          />
        </EvidenceSummary>
      </ReportForm>
    );
  }

  return (
    <div class="report-window">
      <header>
        <h1>{t('evidence_windowTitle')}</h1>
      </header>
      <main>{main}</main>
    </div>
  );
}
