import type { DestinationChoice } from '@/utils/destination';
import { useT } from '@/utils/ui/i18n';

const LABELS = { organisation: 'destination_organisation', official: 'destination_official', endpoint: 'destination_endpoint' } as const;

/** Settings: where reports go now (issue 16), and the way to the first-run page to change it. */
export function DestinationSummary({ choice, firstRunUrl }: { choice: DestinationChoice; firstRunUrl: string }) {
  const t = useT();
  return (
    <section class="destination" aria-labelledby="destination-heading">
      <h3 id="destination-heading">{t('destination_heading')}</h3>
      <p>{t('destination_current', t(LABELS[choice]))}</p>
      <p>
        <a href={firstRunUrl}>{t('destination_change')}</a>
      </p>
    </section>
  );
}
