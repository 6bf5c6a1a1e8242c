import { useState } from 'preact/hooks';
import { PolicyNotice } from '@/components/PolicyNotice';
import { ProvisioningImport } from '@/components/ProvisioningImport';
import { SettingsForm } from '@/components/SettingsForm';
import type { FlaglineDB } from '@/utils/db';
import { useT } from '@/utils/i18n';
import { applyProvisioning, fetchProvisioning, parseProvisioning, previewProvisioning, PROVISIONING_MAX_BYTES } from '@/utils/provisioning';
import { loadUserSettings, saveSettings } from '@/utils/settings';
import type { UserSettings } from '@/utils/schema/settings';
import { useEffectiveState, type PolicySource } from '@/utils/ui/policy';

interface Props {
  db: FlaglineDB;
  policySource: PolicySource;
  fetch: typeof fetch;
}

/** Wires the settings page: policy notice, the form (fixed fields read-only), provisioning import. */
export function OptionsApp({ db, policySource, fetch: fetchFn }: Props) {
  const t = useT();
  const state = useEffectiveState(db, policySource);
  // After an import the form starts again from the stored values.
  const [form, setForm] = useState<{ key: number; seed?: UserSettings }>({ key: 0 });
  if (!state) return <p class="hint">{t('popup_loading')}</p>;
  return (
    <>
      <PolicyNotice policy={state.view} />
      <SettingsForm
        key={form.key}
        initial={form.seed ?? state.user}
        effective={state.settings}
        policy={state.view}
        onSave={(values) => saveSettings(db, values, policySource.read)}
      />
      <ProvisioningImport
        organizationName={state.view.organizationName}
        readFile={async (file) =>
          file.size > PROVISIONING_MAX_BYTES ? { ok: false, error: { key: 'policy_provision_error_tooLarge' } } : parseProvisioning(await file.text())
        }
        readUrl={(url) => fetchProvisioning(url, fetchFn)}
        preview={(file) => previewProvisioning(file, state)}
        apply={async (file) => {
          const result = await applyProvisioning(db, file, state.view.fixed, policySource.read);
          if (result.ok) {
            const seed = await loadUserSettings(db);
            setForm((current) => ({ key: current.key + 1, seed }));
          }
          return result;
        }}
      />
    </>
  );
}
