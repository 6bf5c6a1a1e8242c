import { useState } from 'preact/hooks';
import { useT } from '@/utils/ui/i18n';

interface Props {
  /** e.g. `https://reports.example.org` */
  origin: string;
  /** Starts the browser's permission prompt; resolves with whether it was granted. */
  onRequest: () => Promise<boolean>;
}

/** Explains a CORS refusal in plain words and offers host access for exactly that origin. */
export function EndpointAccess({ origin, onRequest }: Props) {
  const t = useT();
  const [result, setResult] = useState<'granted' | 'denied'>();
  return (
    <section class="access-notice" aria-live="polite">
      <p>{t('delivery_corsExplain', origin)}</p>
      <button
        type="button"
        onClick={() => {
          // Straight from the click: the permission prompt needs the user gesture.
          onRequest().then(
            (granted) => setResult(granted ? 'granted' : 'denied'),
            () => setResult('denied'),
          );
        }}
      >
        {t('delivery_allowAccess', origin)}
      </button>
      {result && <p role="status">{t(result === 'granted' ? 'delivery_accessGranted' : 'delivery_accessDenied')}</p>}
    </section>
  );
}
