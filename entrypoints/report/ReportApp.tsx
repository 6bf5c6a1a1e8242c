import { useEffect, useState } from 'preact/hooks';
import { EvidenceSummary } from '@/components/EvidenceSummary';
import { ReportForm } from '@/components/ReportForm';
import { BUILT_IN_CATEGORIES, findCategory } from '@/utils/categories';
import { EMPTY_DRAFT } from '@/utils/draft-defaults';
import type { SessionArea } from '@/utils/drafts';
import type { PixelRect } from '@/utils/evidence/png-crop';
import { errorMessageKey, toFlaglineError } from '@/utils/errors';
import type { SendRaw } from '@/utils/messaging';
import type { DraftErrors, ReportDraft } from '@/utils/report-form';
import type { ArtifactName } from '@/utils/schema/capture';
import { useT } from '@/utils/ui/i18n';
import type { PreviewArtifact } from '@/utils/ui/report-window';
import { useSessionDraft } from '@/utils/ui/session-draft';
import type { ReportConnection, ReportState } from './connect';

interface Props {
  captureId: string;
  send: SendRaw;
  /** Keeps the form's contents if the window is reloaded. */
  session: SessionArea;
  close: () => void;
  /** The data side (connect.tsx: the database, the policy, the schemas), loaded after the first render. */
  connect: () => Promise<ReportConnection>;
}

const NO_ARTIFACTS: PreviewArtifact[] = [];
const NO_ERRORS: DraftErrors = {};

type Redaction = typeof import('./redaction');
let redaction: Promise<Redaction> | undefined;
/** The Redact step's code, loaded once (redaction.ts). */
const loadRedaction = () => (redaction ??= import('./redaction'));

/**
 * Wires the report window: the form at once — it needs neither the capture, nor the policy, nor
 * the database, nor the Redact code — then the data side (connect.tsx) fills in the evidence line,
 * the categories under the policy and submitting as they are read; a submit asked for before the
 * capture and the policy are read waits for them.
 */
export function ReportApp({ captureId, send, session, close, connect }: Props) {
  const t = useT();
  const [connection, setConnection] = useState<ReportConnection>();
  const [connectError, setConnectError] = useState<string>();
  const [state, setState] = useState<ReportState>();
  const { draft, update, forget } = useSessionDraft(session, `draft:capture:${captureId}`, EMPTY_DRAFT, connection?.parseDraft);
  const context = state?.context;
  const categories = context?.categories ?? BUILT_IN_CATEGORIES;
  const capture = state?.evidence.capture;
  const rows = state?.evidence.rows;
  const artifacts = state?.evidence.artifacts ?? NO_ARTIFACTS;
  const metadataOnly = state?.evidence.metadataOnly ?? false;
  const verification = state?.evidence.verification ?? 'checking';
  const errors = state?.submission.errors ?? NO_ERRORS;
  const submitError = state?.submission.submitError;
  const busy = state?.submission.busy ?? false;
  const submittedId = state?.submission.submittedId;
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

  const showLoadError = (error: unknown) => {
    const typed = toFlaglineError(error);
    return t(errorMessageKey(typed.code), typed.detail);
  };

  // The form is interactive from its first render (the window's `flagline:ready`, for the bench).
  useEffect(() => {
    performance.mark('flagline:ready');
    connect().then(setConnection, (error: unknown) => setConnectError(showLoadError(error)));
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
      setRedactLoadError(showLoadError(error));
    });
  };

  const redact = async (areas: PixelRect[], keepOriginal: boolean) => {
    if (!connection) return;
    setRedacting({ busy: true });
    try {
      const { redactCapture } = await loadRedaction();
      await redactCapture(connection.db, captureId, areas, { keepOriginal, now: Date.now() });
      setRedacting(undefined);
      setExpanded(true);
    } catch (error) {
      setRedacting({ busy: false, error: showLoadError(error) });
    }
  };

  const updateDraft = (next: ReportDraft) => {
    update(next);
    state?.submission.clearErrors();
  };

  const submit = async () => {
    // Until the policy is read, the categories and rules a submit must follow are unknown; until
    // the capture is read, its tab. The submit waits for both (the effect below sends it).
    if (!capture || !context || !state) return setSubmitWaiting(true);
    setSubmitWaiting(false);
    await state.submission.submit(draft, context, capture.tabId, { captureId, exclude: [...excluded] }, forget);
  };
  useEffect(() => {
    if (submitWaiting && capture && context) void submit();
  }, [submitWaiting, !!capture, !!context]);

  let main;
  if (submittedId && connection) {
    main = (
      <>
        <p>{t('evidence_sent')}</p>
        <connection.SubmissionStatus record={state?.submitted} onReportAnother={close} />
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
    const loadError = connectError ?? redactLoadError;
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
        goodFaithAccepted={context?.goodFaithAccepted}
        onChange={updateDraft}
        onSubmit={() => void submit()}
      >
        {loadError && (
          <p class="form-error" role="alert">
            {loadError}
          </p>
        )}
        {capture && connection ? (
          <EvidenceSummary
            artifacts={artifacts}
            verification={verification}
            blurred={blurred}
            metadataOnly={metadataOnly}
            pending={!!capture.screenshotPending}
            expanded={expanded}
            onToggle={() => setExpanded(!expanded)}
          >
            <connection.EvidencePreview
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
    <>
      {connection && (
        <connection.ReportConnector
          db={connection.db}
          policySource={connection.policySource}
          captureId={captureId}
          send={send}
          draft={draft}
          onState={setState}
        />
      )}
      <div class="report-window">
        <header>
          <h1>{t('evidence_windowTitle')}</h1>
        </header>
        <main>{main}</main>
      </div>
    </>
  );
}
