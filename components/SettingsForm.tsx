import { useEffect, useRef, useState } from 'preact/hooks';
import type { MessageKey } from '@/utils/i18n';
import { useT } from '@/utils/i18n';
import type { UserSettings, UserSettingsInput } from '@/utils/schema/settings';

export type SettingsErrors = Partial<Record<keyof UserSettings, string>>;

interface Props {
  initial: UserSettings;
  onSave: (values: UserSettingsInput) => Promise<{ ok: true } | { ok: false; errors: SettingsErrors }>;
}

/**
 * Endpoint and token. What the user typed stays in the fields when saving fails, and nothing is
 * stored until every field is valid.
 */
export function SettingsForm({ initial, onSave }: Props) {
  const t = useT();
  const [endpointUrl, setEndpointUrl] = useState(initial.endpointUrl);
  const [accessToken, setAccessToken] = useState(initial.accessToken);
  const [showToken, setShowToken] = useState(false);
  const [signingSecret, setSigningSecret] = useState(initial.signingSecret);
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'invalid'>('idle');
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (status === 'invalid') formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [status, errors]);

  const errorText = (field: keyof UserSettings) => (errors[field] ? t(errors[field] as MessageKey) : undefined);

  return (
    <form
      ref={formRef}
      class="settings-form"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        setStatus('saving');
        const result = await onSave({ endpointUrl, accessToken, signingSecret });
        if (result.ok) {
          setErrors({});
          setStatus('saved');
        } else {
          setErrors(result.errors);
          setStatus('invalid');
        }
      }}
    >
      <div class="field">
        <label for="endpoint-url">{t('options_endpointLabel')}</label>
        <p id="endpoint-hint" class="hint">
          {t('options_endpointHint')}
        </p>
        <input
          id="endpoint-url"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellcheck={false}
          value={endpointUrl}
          aria-invalid={errors.endpointUrl ? 'true' : undefined}
          aria-describedby={errors.endpointUrl ? 'endpoint-hint endpoint-error' : 'endpoint-hint'}
          onInput={(event) => {
            setEndpointUrl(event.currentTarget.value);
            setStatus('idle');
          }}
        />
        {errors.endpointUrl && (
          <p id="endpoint-error" class="field-error">
            {errorText('endpointUrl')}
          </p>
        )}
      </div>
      <div class="field">
        <label for="access-token">{t('options_tokenLabel')}</label>
        <p id="token-hint" class="hint">
          {t('options_tokenHint')}
        </p>
        <input
          id="access-token"
          type={showToken ? 'text' : 'password'}
          autoComplete="off"
          spellcheck={false}
          value={accessToken}
          aria-invalid={errors.accessToken ? 'true' : undefined}
          aria-describedby={errors.accessToken ? 'token-hint token-error' : 'token-hint'}
          onInput={(event) => {
            setAccessToken(event.currentTarget.value);
            setStatus('idle');
          }}
        />
        <div class="checkbox">
          <input id="show-token" type="checkbox" checked={showToken} onChange={(event) => setShowToken(event.currentTarget.checked)} />
          <label for="show-token">{t('options_showToken')}</label>
        </div>
        {errors.accessToken && (
          <p id="token-error" class="field-error">
            {errorText('accessToken')}
          </p>
        )}
      </div>
      <div class="field">
        <label for="signing-secret">{t('delivery_signingLabel')}</label>
        <p id="signing-hint" class="hint">
          {t('delivery_signingHint')}
        </p>
        <input
          id="signing-secret"
          type="password"
          autoComplete="off"
          spellcheck={false}
          value={signingSecret}
          aria-invalid={errors.signingSecret ? 'true' : undefined}
          aria-describedby={errors.signingSecret ? 'signing-hint signing-error' : 'signing-hint'}
          onInput={(event) => {
            setSigningSecret(event.currentTarget.value);
            setStatus('idle');
          }}
        />
        {errors.signingSecret && (
          <p id="signing-error" class="field-error">
            {errorText('signingSecret')}
          </p>
        )}
      </div>
      <button type="submit" class="primary">
        {t('options_save')}
      </button>
      <p role="status" aria-live="polite" class={status === 'invalid' ? 'form-error' : 'form-ok'}>
        {status === 'saved' ? t('options_saved') : status === 'invalid' ? t('options_notSaved') : ''}
      </p>
    </form>
  );
}
