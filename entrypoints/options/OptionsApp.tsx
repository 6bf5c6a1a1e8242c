import { useState } from 'preact/hooks';
import { EndpointAccess } from '@/components/EndpointAccess';
import { PolicyNotice } from '@/components/PolicyNotice';
import { ProvisioningImport } from '@/components/ProvisioningImport';
import { SettingsForm } from '@/components/SettingsForm';
import type { FlaglineDB } from '@/utils/db';
import { corsBlocked, endpointOrigin, requestEndpointAccess, type PermissionsApi } from '@/utils/endpoint-access';
import { useT } from '@/utils/ui/i18n';
import { sendMessage, type SendRaw } from '@/utils/messaging';
import { applyProvisioning, fetchProvisioning, parseProvisioning, previewProvisioning, PROVISIONING_MAX_BYTES } from '@/utils/provisioning';
import { loadUserSettings, saveSettings } from '@/utils/settings';
import type { UserSettings } from '@/utils/schema/settings';
import { useLiveQuery } from '@/utils/ui/hooks';
import { useEffectiveState, type PolicySource } from '@/utils/ui/policy';

interface Props {
  db: FlaglineDB;
  policySource: PolicySource;
  fetch: typeof fetch;
  send: SendRaw;
  permissions: PermissionsApi;
}

/**
 * Wires the settings page: policy notice, host access when the endpoint refuses CORS, the form
 * (fixed fields read-only), provisioning import.
 */
export function OptionsApp({ db, policySource, fetch: fetchFn, send, permissions }: Props) {
  const t = useT();
  const state = useEffectiveState(db, policySource);
  const endpoint = state?.settings.endpointUrl;
  const blocked = useLiveQuery(async () => (endpoint ? corsBlocked(db, endpoint) : false), [db, endpoint]);
  // After an import the form starts again from the stored values.
  const [form, setForm] = useState<{ key: number; seed?: UserSettings }>({ key: 0 });
  // Saving settings resumes a paused channel and retries what failed (a fixed token, say).
  const retryAll = () =>
    void sendMessage(send, 'flushOutbox', { force: true }).catch((error: unknown) => console.warn('Flagline could not start delivery:', error));
  if (!state) return <p class="hint">{t('popup_loading')}</p>;
  return (
    <>
      <PolicyNotice policy={state.view} />
      {endpoint && blocked && (
        <EndpointAccess
          origin={endpointOrigin(endpoint)}
          onRequest={async () => {
            const granted = await requestEndpointAccess(permissions, endpoint);
            if (granted) retryAll();
            return granted;
          }}
        />
      )}
      <SettingsForm
        key={form.key}
        initial={form.seed ?? state.user}
        effective={state.settings}
        policy={state.view}
        onSave={async (values) => {
          const result = await saveSettings(db, values, policySource.read);
          if (result.ok) retryAll();
          return result;
        }}
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
            retryAll();
          }
          return result;
        }}
      />
    </>
  );
}
