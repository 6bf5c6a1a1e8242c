import { describeDeliveryError } from '@/utils/delivery-text';
import { useT } from '@/utils/ui/i18n';
import type { ReportRecord } from '@/utils/schema/record';
import { ReviewStatus } from './ReviewStatus';

interface Props {
  record: ReportRecord | undefined;
  onReportAnother: () => void;
  /** No endpoint (issue 16): a kept report is saved, not sent to any channel; offer the hand-off. */
  noEndpoint?: boolean;
  onHandoff?: (id: string) => void;
}

/** What happened to the report just submitted, kept live as the background delivers it. */
export function SubmissionStatus({ record, onReportAnother, noEndpoint = false, onHandoff }: Props) {
  const t = useT();
  let message = t('popup_saved_sending');
  let tone = 'progress';
  if (record?.status === 'held') {
    message = noEndpoint ? t('popup_savedOnly') : t('workspace_popup_held');
    tone = 'success';
  } else if (record?.status === 'sent') {
    message = record.receipt ? t('popup_sent_receipt', record.receipt) : t('popup_sent');
    tone = 'success';
  } else if (record?.status === 'failed' && record.lastError) {
    message = t('popup_failed', describeDeliveryError(t, record.lastError));
    tone = 'error';
  } else if (record?.status === 'waiting' && record.lastError) {
    message = `${t('popup_waiting')} ${describeDeliveryError(t, record.lastError)}`;
    tone = 'warning';
  }
  return (
    <section class={`submission ${tone}`}>
      <p role="status" aria-live="polite">
        {message}
      </p>
      <ReviewStatus review={record?.review} full />
      {record && onHandoff && (noEndpoint || record.status === 'held') && (
        <button type="button" class="primary" onClick={() => onHandoff(record.id)}>
          {t('handoff_button')}
        </button>
      )}
      <button type="button" onClick={onReportAnother}>
        {t('popup_reportAnother')}
      </button>
    </section>
  );
}
