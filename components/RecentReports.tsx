import { describeDeliveryError } from '@/utils/delivery-text';
import { type MessageKey } from '@/utils/i18n';
import { useT } from '@/utils/ui/i18n';
import type { ReportRecord } from '@/utils/schema/record';
import { ReviewStatus } from './ReviewStatus';
import { HandoffSummary } from './handoff/HandoffSummary';

interface Props {
  records: ReportRecord[];
  onRetry: (id: string) => void;
  /** A hand-off's channel name in the UI language (issue 16); absent: hand-offs are not shown. */
  channelName?: (id: string) => string;
}

/**
 * The last reports with their delivery state, receipt and last error; failed and undelivered
 * ones get a one-click Retry. Titles come from the stored report and are rendered as text.
 */
export function RecentReports({ records, onRetry, channelName }: Props) {
  const t = useT();
  if (records.length === 0) return null;
  return (
    <section class="recent" aria-labelledby="recent-heading">
      <h2 id="recent-heading">{t('delivery_recentHeading')}</h2>
      <ul>
        {records.map((record) => {
          // Rows written by older versions may lack parts: show what there is.
          const title = record.report?.target?.title || record.report?.target?.url || record.id;
          const canRetry = record.status === 'failed' || record.status === 'undelivered';
          return (
            <li key={record.id} data-state={record.status} data-report-id={record.id}>
              <span class="recent-title">{title}</span>
              <span class={`state state-${record.status}`}>{t(`delivery_state_${record.status}` as MessageKey)}</span>
              {record.receipt && <span class="receipt">{t('delivery_receipt', record.receipt)}</span>}
              <ReviewStatus review={record.review} />
              {channelName && <HandoffSummary record={record} channelName={channelName} />}
              {record.lastError && record.status !== 'sent' && <span class="hint recent-error">{describeDeliveryError(t, record.lastError)}</span>}
              {canRetry && (
                <button type="button" aria-label={t('delivery_retryOneLabel', title)} onClick={() => onRetry(record.id)}>
                  {t('delivery_retryOne')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
