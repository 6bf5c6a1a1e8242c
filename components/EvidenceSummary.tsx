import type { ComponentChildren } from 'preact';
import { useT } from '@/utils/ui/i18n';
import type { PreviewArtifact, Verification } from '@/utils/ui/report-window';

interface Props {
  artifacts: PreviewArtifact[];
  /** Whether every artifact's bytes still hash to its recorded sha256. */
  verification: Verification;
  /** Harmful to minors, until revealed: thumbnails are blurred too. */
  blurred: boolean;
  /** Child sexual exploitation: no pixels, no thumbnails. */
  metadataOnly: boolean;
  /** Screenshot still being taken or confirmed (utils/evidence/capture.ts). */
  pending: boolean;
  expanded: boolean;
  onToggle: () => void;
  /** The full evidence preview, shown when expanded. */
  children: ComponentChildren;
}

/**
 * The evidence of a pick in one line — thumbnails and "3 items, verified" — so the category and
 * Submit report stay on screen; the button expands it to the full preview (exclusions, hashes,
 * redaction).
 */
export function EvidenceSummary({ artifacts, verification, blurred, metadataOnly, pending, expanded, onToggle, children }: Props) {
  const t = useT();
  const shown = artifacts.filter((a) => !(metadataOnly && a.imageUrl));
  const thumbnails = shown.filter((a) => a.imageUrl);
  const state = pending ? t('evidence_summaryPending') : t(`evidence_summary_${verification}`);
  return (
    <section class="evidence-summary" aria-labelledby="evidence-summary-toggle">
      <button
        type="button"
        id="evidence-summary-toggle"
        class="summary-line"
        aria-expanded={expanded ? 'true' : 'false'}
        aria-controls="evidence-details"
        onClick={onToggle}
      >
        <span class="thumbs" aria-hidden="true">
          {thumbnails.map((a) => (
            <img key={a.name} class={blurred ? 'thumb blurred' : 'thumb'} src={a.imageUrl} alt="" />
          ))}
        </span>
        <span class="summary-text">{t('evidence_summary', [shown.length, state])}</span>
      </button>
      {metadataOnly && (
        <p class="guidance" role="note">
          {t('evidence_childGuidance')}
        </p>
      )}
      <div id="evidence-details" hidden={!expanded}>
        {expanded && children}
      </div>
    </section>
  );
}
