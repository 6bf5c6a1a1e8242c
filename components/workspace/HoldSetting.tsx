import { useState } from 'preact/hooks';
import { useT } from '@/utils/i18n';

interface Props {
  initial: boolean;
  /** Saves the setting; resolves false when it could not be saved. */
  onSave: (hold: boolean) => Promise<boolean>;
}

/** "Hold reports for review before sending": saved as soon as it is changed. */
export function HoldSetting({ initial, onSave }: Props) {
  const t = useT();
  const [hold, setHold] = useState(initial);
  const [status, setStatus] = useState<'idle' | 'saved' | 'error'>('idle');
  return (
    <section class="field" aria-labelledby="hold-heading">
      <h2 id="hold-heading">{t('workspace_title')}</h2>
      <div class="checkbox">
        <input
          id="hold-for-review"
          type="checkbox"
          checked={hold}
          aria-describedby="hold-hint"
          onChange={async (event) => {
            const next = event.currentTarget.checked;
            setHold(next);
            const ok = await onSave(next);
            if (!ok) setHold(!next);
            setStatus(ok ? 'saved' : 'error');
          }}
        />
        <label for="hold-for-review">{t('workspace_settings_hold')}</label>
      </div>
      <p id="hold-hint" class="hint">
        {t('workspace_settings_holdHint')}
      </p>
      {/* A polite live region, not a second role=status: the settings form above owns that one. */}
      <p aria-live="polite" class={status === 'error' ? 'form-error' : 'form-ok'}>
        {status === 'saved' ? t('options_saved') : status === 'error' ? t('options_notSaved') : ''}
      </p>
    </section>
  );
}
