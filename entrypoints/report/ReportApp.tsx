import { useEffect, useMemo, useState } from 'preact/hooks';
import { EvidencePreview } from '@/components/EvidencePreview';
import { EvidenceSummary } from '@/components/EvidenceSummary';
import { ReportForm } from '@/components/ReportForm';
import { SubmissionStatus } from '@/components/SubmissionStatus';
import { BUILT_IN_CATEGORIES, findCategory, isMetadataOnly } from '@/utils/categories';
import type { FlaglineDB } from '@/utils/db';
import type { SessionArea } from '@/utils/drafts';
import type { PixelRect } from '@/utils/evidence/png-crop';
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

type Redaction = typeof import('./redaction');
let redaction: Promise<Redaction> | undefined;
/** The Redact step's code, loaded once (redaction.ts). */
const loadRedaction = () => (redaction ??= import('./redaction'));

/**
 * Wires the report window: the capture from IndexedDB, its preview, the form, submitting. The form
 * shows at once — it needs neither the capture, nor the policy, nor the Redact code — and the
 * evidence line fills in as the capture arrives; a submit made before the capture and the policy
 * are read waits for them.
 */
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
  const [redactStep, setRedactStep] = useState<Redaction>();
  const [redactLoadError, setRedactLoadError] = useState<string>();
  /** A submit asked for before the capture or the policy was read: sent once both are. */
  const [submitWaiting, setSubmitWaiting] = useState(false);
  const viewportRow = rows?.find((row) => row.name === 'viewport.png');
  const viewportUrl = artifacts.find((a) => a.name === 'viewport.png')?.imageUrl;

  // The form is interactive from its first render (the window's `flagline:ready`, for the bench).
  useEffect(() => {
    performance.mark('flagline:ready');
    // Fetched while the user reads the form, so Redact opens at once; a failure is retried on the click.
    const idle = setTimeout(() => void loadRedaction().catch(() => (redaction = undefined)), 500);
    return () => clearTimeout(idle);
  }, []);

  const openRedaction = () => {
    setRedactLoadError(undefined);
    setRedacting({ busy: false });
    loadRedaction().then(setRedactStep, (error: unknown) => {
      // Tried again on the next click.
      redaction = undefined;
      setRedacting(undefined);
      const typed = toFlaglineError(error);
      setRedactLoadError(t(errorMessageKey(typed.code), typed.detail));
    });
  };

  const redact = async (areas: PixelRect[], keepOriginal: boolean) => {
    setRedacting({ busy: true });
    try {
      const { redactCapture } = await loadRedaction();
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
    // Until the policy is read, the categories and rules a submit must follow are unknown; until
    // the capture is read, its tab. The submit waits for both (the effect below sends it).
    if (!capture || !context) return setSubmitWaiting(true);
    setSubmitWaiting(false);
    await submitDraft(draft, context, capture.tabId, { captureId, exclude: [...excluded] }, forget);
  };
  useEffect(() => {
    if (submitWaiting && capture && context) void submit();
  }, [submitWaiting, !!capture, !!context]);

  let main;
  if (submittedId) {
    main = (
      <>
        <p>{t('evidence_sent')}</p>
        <SubmissionStatus record={submitted} onReportAnother={close} />
      </>
    );
  } else if (capture === null) {
    main = (
      <p class="form-error" role="alert">
        {t('error_capture_missing')}
      </p>
    );
  } else if (capture && redacting && viewportRow && viewportUrl && !metadataOnly) {
    main = redactStep ? (
      <redactStep.RedactEditor
        imageUrl={viewportUrl}
        image={redactStep.pngDimensions(viewportRow.bytes)}
        busy={redacting.busy}
        error={redacting.error}
        onApply={(areas, keepOriginal) => void redact(areas, keepOriginal)}
        onCancel={() => setRedacting(undefined)}
      />
    ) : (
      <p class="hint">{t('evidence_loading')}</p>
    );
  } else {
    const blurred = !revealed && !!findCategory(categories, draft.category ?? '')?.blurPreviews;
    // Category first; the evidence is one line (expandable) so Submit report stays in view. The
    // form does not wait for the capture: its line says so until the capture is read.
    main = (
      <ReportForm
        categories={categories}
        draft={draft}
        errors={errors}
        submitError={submitError}
        busy={busy || submitWaiting}
        explanationRequired={context?.requireExplanation}
        onChange={updateDraft}
        onSubmit={() => void submit()}
      >
        {redactLoadError && (
          <p class="form-error" role="alert">
            {redactLoadError}
          </p>
        )}
        {capture ? (
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
              onRedact={capture.screenshotPending ? undefined : openRedaction}
            />
          </EvidenceSummary>
        ) : (
          <p class="hint">{t('evidence_loading')}</p>
        )}
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
