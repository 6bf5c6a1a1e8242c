import { EndpointAccess } from '@/components/EndpointAccess';
import { SettingsForm } from '@/components/SettingsForm';
import type { FlaglineDB } from '@/utils/db';
import { corsBlocked, endpointOrigin, requestEndpointAccess, type PermissionsApi } from '@/utils/endpoint-access';
import { useT } from '@/utils/i18n';
import { sendMessage, type SendRaw } from '@/utils/messaging';
import type { UserSettings } from '@/utils/schema/settings';
import { loadSettings, saveSettings } from '@/utils/settings';
import { useLiveQuery } from '@/utils/ui/hooks';

interface Props {
  db: FlaglineDB;
  initial: UserSettings;
  send: SendRaw;
  permissions: PermissionsApi;
}

/** Wires the settings page: the form, and host access when the endpoint refuses CORS. */
export function OptionsApp({ db, initial, send, permissions }: Props) {
  const t = useT();
  const endpoint = useLiveQuery(async () => (await loadSettings(db)).endpointUrl, [db]);
  const blocked = useLiveQuery(async () => (endpoint ? corsBlocked(db, endpoint) : false), [db, endpoint]);
  // Saving settings resumes a paused channel and retries what failed (a fixed token, say).
  const retryAll = () => void sendMessage(send, 'flushOutbox', { force: true }).catch(() => undefined);
  return (
    <main class="options">
      <h1>{t('options_title')}</h1>
      <h2>{t('options_heading')}</h2>
      {endpoint && blocked && (
        <EndpointAccess
          origin={endpointOrigin(endpoint)}
          onRequest={async () => {
            const request = requestEndpointAccess(permissions, endpoint);
            const granted = await request;
            if (granted) retryAll();
            return granted;
          }}
        />
      )}
      <SettingsForm
        initial={initial}
        onSave={async (values) => {
          const result = await saveSettings(db, values);
          if (result.ok) retryAll();
          return result;
        }}
      />
    </main>
  );
}
