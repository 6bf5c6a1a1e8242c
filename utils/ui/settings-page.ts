import { useState } from 'preact/hooks';
import type { FlaglineDB } from '../db';
import { corsBlocked, requestEndpointAccess, type PermissionsApi } from '../endpoint-access';
import { sendMessage, type SendRaw } from '../messaging';
import { applyProvisioning, fetchProvisioning, parseProvisioning, PROVISIONING_MAX_BYTES, type ParseResult, type ProvisioningFile } from '../provisioning';
import type { UserSettings, UserSettingsInput } from '../schema/settings';
import { loadUserSettings, saveSettings } from '../settings';
import { useLiveQuery } from './hooks';
import { useEffectiveState, type PolicySource } from './policy';

export interface SettingsPageDeps {
  db: FlaglineDB;
  policySource: PolicySource;
  fetch: typeof fetch;
  send: SendRaw;
  permissions: PermissionsApi;
}

/**
 * The settings page's state and actions: the effective settings and policy (undefined while
 * read), whether the endpoint refuses CORS (`blocked`), and the form's seed, which starts again
 * from the stored values after a provisioning file is applied (`form.key` changes). Granting host
 * access, saving, and applying a file each resume delivery and retry what failed (a fixed token,
 * say).
 */
export function useSettingsPage({ db, policySource, fetch: fetchFn, send, permissions }: SettingsPageDeps) {
  const state = useEffectiveState(db, policySource);
  const endpoint = state?.settings.endpointUrl;
  const blocked = useLiveQuery(async () => (endpoint ? corsBlocked(db, endpoint) : false), [db, endpoint]);
  const [form, setForm] = useState<{ key: number; seed?: UserSettings }>({ key: 0 });

  const retryAll = () =>
    void sendMessage(send, 'flushOutbox', { force: true }).catch((error: unknown) => console.warn('Flagline could not start delivery:', error));

  const requestAccess = async (url: string) => {
    const granted = await requestEndpointAccess(permissions, url);
    if (granted) retryAll();
    return granted;
  };
  const save = async (values: Partial<UserSettingsInput>) => {
    // Asked at the moment the user turns notifications on (the Save click), not at install.
    if (values.notifyOnOutcome && !(await permissions.request({ permissions: ['notifications'] }))) values = { ...values, notifyOnOutcome: false };
    const result = await saveSettings(db, values, policySource.read);
    if (result.ok) retryAll();
    return result;
  };
  const readFile = async (file: File): Promise<ParseResult> =>
    file.size > PROVISIONING_MAX_BYTES ? { ok: false, error: { key: 'policy_provision_error_tooLarge' } } : parseProvisioning(await file.text());
  const readUrl = (url: string) => fetchProvisioning(url, fetchFn);
  /** Offered only once the settings are read: what the policy fixes stays as it is. */
  const apply = async (file: ProvisioningFile) => {
    if (!state) throw new Error('Flagline: a provisioning file applied before the settings were read');
    const result = await applyProvisioning(db, file, state.view.fixed, policySource.read);
    if (result.ok) {
      const seed = await loadUserSettings(db);
      setForm((current) => ({ key: current.key + 1, seed }));
      retryAll();
    }
    return result;
  };

  return { state, endpoint, blocked, form, requestAccess, save, readFile, readUrl, apply };
}
