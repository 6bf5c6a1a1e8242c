import { useT } from '@/utils/ui/i18n';

interface Props {
  /** When the statement was accepted on this device (ISO 8601); absent when it was not, or was withdrawn. */
  acceptedAt: string | undefined;
  onWithdraw: () => void;
}

/** Settings: the standing good-faith statement, and the way to withdraw it (the next report asks again). */
export function GoodFaithSetting({ acceptedAt, onWithdraw }: Props) {
  const t = useT();
  return (
    <section class="good-faith-setting" aria-labelledby="good-faith-heading">
      <h2 id="good-faith-heading">{t('settings_goodFaithHeading')}</h2>
      {acceptedAt ? (
        <>
          <p>{t('settings_goodFaithAccepted', new Date(acceptedAt).toLocaleString())}</p>
          <button type="button" onClick={onWithdraw}>
            {t('settings_goodFaithWithdraw')}
          </button>
        </>
      ) : (
        <p class="hint">{t('settings_goodFaithNone')}</p>
      )}
    </section>
  );
}
