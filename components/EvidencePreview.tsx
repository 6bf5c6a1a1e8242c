import { type MessageKey } from '@/utils/i18n';
import { useT } from '@/utils/ui/i18n';
import type { ArtifactName, UnavailableReason } from '@/utils/schema/capture';
import { CAPTURE_TEXT_MAX } from '@/utils/schema/capture';
import type { Target } from '@/utils/schema/report';
import type { PreviewArtifact } from '@/utils/ui/report-window';

interface Props {
  target: Target;
  artifacts: PreviewArtifact[];
  unavailable: Array<{ name: ArtifactName; reason: UnavailableReason }>;
  excluded: ReadonlySet<ArtifactName>;
  onToggle: (name: ArtifactName, include: boolean) => void;
  /** Harmful to minors: previews stay blurred until the user reveals them. */
  blurred: boolean;
  onReveal: () => void;
  /** Child sexual exploitation: no pixels (the guidance is in EvidenceSummary, always in view). */
  metadataOnly: boolean;
  /** The screenshots were redacted: how many areas were blacked out. */
  redactedAreas?: number;
  /** Opens the box tool for the screenshot (absent: no redaction offered). */
  onRedact?: () => void;
}

const ARTIFACT_LABEL: Record<ArtifactName, MessageKey> = {
  'viewport.png': 'evidence_artifact_viewport',
  'element.png': 'evidence_artifact_element',
  'text.txt': 'evidence_artifact_text',
};

/**
 * What was captured, before it is sent: the target, and each artifact with a checkbox to leave
 * it out. Page data is rendered as text only (never as HTML); images come from object URLs of
 * the captured bytes.
 */
export function EvidencePreview({ target, artifacts, unavailable, excluded, onToggle, blurred, onReveal, metadataOnly, redactedAreas, onRedact }: Props) {
  const t = useT();
  const shown = artifacts.filter((a) => !(metadataOnly && a.imageUrl));
  return (
    <section class="evidence" aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">{t('evidence_heading')}</h2>
      <p class="target-kind">{t(`evidence_kind_${target.kind}` as MessageKey)}</p>
      <p class="page-title">{target.title}</p>
      <p class="page-url">{target.url}</p>
      {target.frameUrl && <p class="page-url">{t('evidence_frameUrl', target.frameUrl)}</p>}
      {target.iframeSrc && <p class="page-url">{t('evidence_frameUrl', target.iframeSrc)}</p>}
      {target.permalink && <p class="page-url">{t('evidence_permalink', target.permalink)}</p>}
      {target.linkUrl && <p class="page-url">{t('evidence_linkUrl', target.linkUrl)}</p>}
      {target.srcUrl && <p class="page-url">{t('evidence_srcUrl', target.srcUrl)}</p>}
      {target.capturedAt && <p class="hint">{t('evidence_capturedAt', new Date(target.capturedAt).toLocaleString())}</p>}
      {shown.length > 0 && (
        <fieldset>
          <legend>{t('evidence_artifactsLegend')}</legend>
          {blurred && shown.some((a) => a.imageUrl) && (
            <div class="blur-notice">
              <p>{t('evidence_blurred')}</p>
              <button type="button" onClick={onReveal}>
                {t('evidence_showPreview')}
              </button>
            </div>
          )}
          {shown.map((artifact) => {
            const id = `artifact-${artifact.name.replace('.', '-')}`;
            return (
              <div class="artifact" key={artifact.name}>
                <div class="choice">
                  <input
                    type="checkbox"
                    id={id}
                    checked={!excluded.has(artifact.name)}
                    onChange={(event) => onToggle(artifact.name, event.currentTarget.checked)}
                  />
                  <label for={id}>{t(ARTIFACT_LABEL[artifact.name])}</label>
                </div>
                {artifact.imageUrl && <img class={blurred ? 'preview blurred' : 'preview'} src={artifact.imageUrl} alt={t(ARTIFACT_LABEL[artifact.name])} />}
                {artifact.imageUrl && redactedAreas ? <p class="redacted-note">{t('evidence_redacted', redactedAreas)}</p> : null}
                {artifact.name === 'viewport.png' && onRedact && !blurred && (
                  <button type="button" onClick={onRedact}>
                    {t('redact_open')}
                  </button>
                )}
                {artifact.text !== undefined && <pre class="captured-text">{artifact.text}</pre>}
                {artifact.name === 'text.txt' && target.textTruncated && <p class="hint">{t('evidence_truncated', CAPTURE_TEXT_MAX)}</p>}
                <p class="hash">{t('evidence_sha256', artifact.sha256)}</p>
              </div>
            );
          })}
        </fieldset>
      )}
      {unavailable.length > 0 && (
        <ul class="unavailable">
          {[...new Set(unavailable.map((u) => u.reason))].map((reason) => (
            <li key={reason}>{t(`evidence_unavailable_${reason.replace('-', '_')}` as MessageKey)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
