import { describeDeliveryError } from '@/utils/delivery-text';
import { useT } from '@/utils/ui/i18n';
import type { OutboxCounts } from '@/utils/schema/messages';
import type { DeliveryError } from '@/utils/schema/record';

interface Props {
  counts: OutboxCounts;
  lastError?: DeliveryError;
  onRetry: () => void;
}

/** Counts of reports waiting, sent and not accepted, with a way to retry at once. */
export function OutboxSummary({ counts, lastError, onRetry }: Props) {
  const t = useT();
  const pending = counts.waiting + counts.failed + (counts.undelivered ?? 0);
  return (
    <section class="outbox" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">{t('popup_outboxHeading')}</h2>
      <dl class="counts">
        <div data-state="waiting">
          <dt>{t('popup_count_waiting')}</dt>
          <dd>{counts.waiting}</dd>
        </div>
        <div data-state="sent">
          <dt>{t('popup_count_sent')}</dt>
          <dd>{counts.sent}</dd>
        </div>
        <div data-state="failed">
          <dt>{t('popup_count_failed')}</dt>
          <dd>{counts.failed}</dd>
        </div>
        {(counts.undelivered ?? 0) > 0 && (
          <div data-state="undelivered">
            <dt>{t('delivery_undeliveredCount')}</dt>
            <dd>{counts.undelivered}</dd>
          </div>
        )}
      </dl>
      {lastError && pending > 0 && <p class="hint">{t('popup_lastError', describeDeliveryError(t, lastError))}</p>}
      {pending > 0 && (
        <button type="button" onClick={onRetry}>
          {t('popup_retryNow')}
        </button>
      )}
    </section>
  );
}
