import { handoffsOf } from '@/utils/handoff/ledger';
import type { ReportRecord } from '@/utils/schema/record';
import { useT } from '@/utils/ui/i18n';

/** "Handed off to 12377 (case 123)": the channels a report was handed to, for lists (popup, workspace). */
export function HandoffSummary({ record, channelName }: { record: Pick<ReportRecord, 'ledger'>; channelName: (id: string) => string }) {
  const t = useT();
  const lines = handoffsOf(record);
  if (lines.length === 0) return null;
  const text = lines.map((line) => `${channelName(line.channel ?? '')}${line.receipt ? ` (${t('handoff_caseShort', line.receipt)})` : ''}`).join(', ');
  return (
    <span class="handoff-summary">
      {t('handoff_history')}: {text}
    </span>
  );
}
