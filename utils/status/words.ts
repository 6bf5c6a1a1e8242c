import type { Translate } from '../i18n';
import type { ReviewStatus } from '../schema/record';

/** Longest public note shown in a list; the report view shows it whole (it is capped on the wire). */
export const NOTE_PREVIEW_MAX = 280;

/**
 * A report's review status in words a reporter understands (*received*, *being reviewed*,
 * *forwarded*, *closed: removed*…). The one place popup, report window, workspace, exports and
 * notifications get them from.
 */
export function reviewStatusText(t: Translate, review: Pick<ReviewStatus, 'state' | 'outcome'>): string {
  switch (review.state) {
    case 'new':
      return t('status_state_new');
    case 'in_review':
      return t('status_state_inReview');
    case 'forwarded':
      return t('status_state_forwarded');
    case 'closed':
      switch (review.outcome) {
        case 'removed':
          return t('status_closed_removed');
        case 'no_violation':
          return t('status_closed_noViolation');
        case 'referred':
          return t('status_closed_referred');
        case 'duplicate':
          return t('status_closed_duplicate');
        default:
          return t('status_state_closed');
      }
  }
}

/** A public note cut for a list row, on a character (not a UTF-16 unit) boundary. */
export function notePreview(note: string, max = NOTE_PREVIEW_MAX): string {
  const chars = [...note];
  return chars.length <= max ? note : `${chars.slice(0, max - 1).join('')}…`;
}
