import { useT } from '@/utils/ui/i18n';
import type { ReviewStatus as Review } from '@/utils/schema/record';
import { notePreview, reviewStatusText } from '@/utils/status/words';

interface Props {
  review: Review | undefined;
  /** Lists show the public note cut short; the report view shows it whole. */
  full?: boolean;
}

/**
 * What the channel's reviewers made of a report (*being reviewed*, *closed: removed*…) and the
 * note they left for the reporter — as text, never as HTML: it comes from another server.
 */
export function ReviewStatus({ review, full = false }: Props) {
  const t = useT();
  if (!review) return null;
  return (
    <span class="review-status" data-review-state={review.state} data-review-outcome={review.outcome ?? ''}>
      <span class={`review-state review-${review.state}`}>{reviewStatusText(t, review)}</span>
      {review.publicNote && (
        <span class="review-note">
          <span class="review-note-label">{t('status_publicNote')}: </span>
          {full ? review.publicNote : notePreview(review.publicNote)}
        </span>
      )}
    </span>
  );
}
