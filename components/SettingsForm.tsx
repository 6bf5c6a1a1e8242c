import { useEffect, useRef, useState } from 'preact/hooks';
import type { MessageKey } from '@/utils/i18n';
import { useT } from '@/utils/ui/i18n';
import type { PolicyView } from '@/utils/policy';
import type { SettingKey } from '@/utils/schema/policy';
import type { UserSettings, UserSettingsInput } from '@/utils/schema/settings';
import { settingText } from '@/utils/settings';

export type SettingsErrors = Partial<Record<keyof UserSettings, string>>;

const NO_POLICY: PolicyView = { managed: false, requireReporterIdentity: false, fixed: [], problems: [] };

interface Props {
  /** The user's own values (what the editable fields start with). */
  initial: UserSettings;
  /** Effective values: what fixed fields show. Defaults to `initial`. */
  effective?: UserSettings;
  policy?: PolicyView;
  onSave: (values: Partial<UserSettingsInput>) => Promise<{ ok: true } | { ok: false; errors: SettingsErrors }>;
}

type Kind = 'url' | 'text' | 'secret' | 'number' | 'checkbox';

interface FieldDef {
  key: SettingKey;
  kind: Kind;
  id: string;
  /** Prefix of the hint/error ids (`endpoint-hint`, `endpoint-error`). */
  base?: string;
  label: MessageKey;
  hint?: MessageKey;
}

const CONNECTION: FieldDef[] = [
  { key: 'endpointUrl', kind: 'url', id: 'endpoint-url', base: 'endpoint', label: 'options_endpointLabel', hint: 'options_endpointHint' },
  { key: 'accessToken', kind: 'secret', id: 'access-token', base: 'token', label: 'options_tokenLabel', hint: 'options_tokenHint' },
  { key: 'signingSecret', kind: 'secret', id: 'signing-secret', base: 'signing', label: 'delivery_signingLabel', hint: 'delivery_signingHint' },
];
const REPORTING: FieldDef[] = [
  { key: 'reviewBeforeSend', kind: 'checkbox', id: 'review-before-send', label: 'policy_setting_reviewBeforeSend', hint: 'workspace_settings_holdHint' },
  { key: 'allowScreenshots', kind: 'checkbox', id: 'allow-screenshots', label: 'policy_setting_allowScreenshots' },
  { key: 'statusChecks', kind: 'checkbox', id: 'status-checks', label: 'policy_setting_statusChecks', hint: 'policy_setting_statusChecksHint' },
  { key: 'notifyOnOutcome', kind: 'checkbox', id: 'notify-on-outcome', label: 'policy_setting_notifyOnOutcome', hint: 'policy_setting_notifyOnOutcomeHint' },
  { key: 'batchSize', kind: 'number', id: 'batch-size', label: 'policy_setting_batchSize', hint: 'policy_setting_batchSizeHint' },
];
const REPORTER: FieldDef[] = [
  { key: 'reporterName', kind: 'text', id: 'reporter-name', label: 'policy_setting_reporterName' },
  { key: 'reporterContact', kind: 'text', id: 'reporter-contact', label: 'policy_setting_reporterContact' },
];
const EDITABLE = [...CONNECTION, ...REPORTING, ...REPORTER];

/**
 * The settings form. What the user typed stays in the fields when saving fails, and nothing is
 * stored until every field is valid. Settings the organisation's policy fixes are shown
 * read-only with "Set by <organisation>" and are never sent on save (saveSettings refuses to
 * change them anyway).
 */
export function SettingsForm({ initial, effective = initial, policy = NO_POLICY, onSave }: Props) {
  const t = useT();
  const [values, setValues] = useState<Record<string, unknown>>({ ...initial });
  const [showToken, setShowToken] = useState(false);
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'invalid'>('idle');
  const formRef = useRef<HTMLFormElement>(null);
  const fixed = new Set(policy.fixed);
  const setBy = policy.organizationName ? t('policy_setBy', policy.organizationName) : t('policy_setByOrganization');

  useEffect(() => {
    if (status === 'invalid') formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [status, errors]);

  const update = (key: SettingKey, value: unknown) => {
    setValues((current) => ({ ...current, [key]: value }));
    setStatus('idle');
  };

  const renderField = (def: FieldDef) => {
    const isFixed = fixed.has(def.key);
    const base = def.base ?? def.id;
    const error = errors[def.key];
    const describedBy = [def.hint && `${base}-hint`, isFixed && `${base}-fixed`, error && `${base}-error`].filter(Boolean).join(' ') || undefined;
    const required = policy.requireReporterIdentity && (def.key === 'reporterName' || def.key === 'reporterContact');
    const fixedNote = isFixed && (
      <p id={`${base}-fixed`} class="hint fixed-note">
        {setBy}
      </p>
    );
    const errorNote = error && (
      <p id={`${base}-error`} class="field-error">
        {t(error as MessageKey)}
      </p>
    );
    const hint = def.hint && (
      <p id={`${base}-hint`} class="hint">
        {t(def.hint)}
      </p>
    );
    if (def.kind === 'checkbox') {
      const checked = Boolean(isFixed ? effective[def.key] : values[def.key]);
      return (
        <div class="field checkbox" key={def.key}>
          <input
            id={def.id}
            type="checkbox"
            checked={checked}
            disabled={isFixed}
            aria-describedby={describedBy}
            aria-invalid={error ? 'true' : undefined}
            onChange={(event) => update(def.key, event.currentTarget.checked)}
          />
          <label for={def.id}>{t(def.label)}</label>
          {hint}
          {fixedNote}
          {errorNote}
        </div>
      );
    }
    const secret = def.kind === 'secret';
    // A fixed secret is never shown, only whether one is set.
    const shown = isFixed ? (secret ? (effective[def.key] ? '••••••••' : '') : String(effective[def.key])) : settingText(values[def.key]);
    return (
      <div class="field" key={def.key}>
        <label for={def.id}>
          {t(def.label)}
          {required && <span class="required"> {t('policy_required')}</span>}
        </label>
        {hint}
        {fixedNote}
        <input
          id={def.id}
          type={
            secret
              ? showToken && !isFixed && def.key === 'accessToken'
                ? 'text'
                : 'password'
              : def.kind === 'number'
                ? 'number'
                : def.kind === 'url'
                  ? 'url'
                  : 'text'
          }
          inputMode={def.kind === 'url' ? 'url' : def.kind === 'number' ? 'numeric' : undefined}
          autoComplete="off"
          spellcheck={false}
          readOnly={isFixed}
          aria-readonly={isFixed ? 'true' : undefined}
          aria-required={required ? 'true' : undefined}
          value={shown}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
          onInput={(event) => {
            if (isFixed) return;
            const raw = event.currentTarget.value;
            update(def.key, def.kind === 'number' ? (raw === '' ? Number.NaN : Number(raw)) : raw);
          }}
        />
        {def.key === 'accessToken' && !isFixed && (
          <div class="checkbox">
            <input id="show-token" type="checkbox" checked={showToken} onChange={(event) => setShowToken(event.currentTarget.checked)} />
            <label for="show-token">{t('options_showToken')}</label>
          </div>
        )}
        {errorNote}
      </div>
    );
  };

  return (
    <form
      ref={formRef}
      class="settings-form"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        setStatus('saving');
        const toSave: Record<string, unknown> = {};
        for (const def of EDITABLE) if (!fixed.has(def.key)) toSave[def.key] = values[def.key];
        const result = await onSave(toSave);
        if (result.ok) {
          setErrors({});
          setStatus('saved');
        } else {
          setErrors(result.errors);
          setStatus('invalid');
        }
      }}
    >
      {CONNECTION.map(renderField)}
      <fieldset class="settings-group">
        <legend>{t('policy_group_reporting')}</legend>
        {REPORTING.map(renderField)}
      </fieldset>
      <fieldset class="settings-group">
        <legend>{t('policy_group_reporter')}</legend>
        <p class="hint">{t(policy.requireReporterIdentity ? 'policy_reporterRequiredHint' : 'policy_reporterHint')}</p>
        {REPORTER.map(renderField)}
      </fieldset>
      <button type="submit" class="primary">
        {t('options_save')}
      </button>
      <p role="status" aria-live="polite" class={status === 'invalid' ? 'form-error' : 'form-ok'}>
        {status === 'saved' ? t('options_saved') : status === 'invalid' ? t('options_notSaved') : ''}
      </p>
    </form>
  );
}
