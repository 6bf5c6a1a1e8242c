import { DestinationSummary } from '@/components/DestinationSummary';
import { EndpointAccess } from '@/components/EndpointAccess';
import { GoodFaithSetting } from '@/components/GoodFaithSetting';
import { PolicyNotice } from '@/components/PolicyNotice';
import { ProvisioningImport } from '@/components/ProvisioningImport';
import { SettingsForm } from '@/components/SettingsForm';
import { endpointOrigin } from '@/utils/endpoint-access';
import { previewProvisioning } from '@/utils/provisioning';
import { loadGoodFaith, withdrawGoodFaith } from '@/utils/settings';
import { rememberGoodFaithStanding } from '@/utils/ui/first-screen';
import { effectiveChoice, loadDestinationChoice, policyDecides } from '@/utils/destination';
import { FIRST_RUN_PATH } from '@/utils/pages';
import { useLiveQuery } from '@/utils/ui/hooks';
import { useT } from '@/utils/ui/i18n';
import { useSettingsPage, type SettingsPageDeps } from '@/utils/ui/settings-page';

/**
 * Wires the settings page: policy notice, host access when the endpoint refuses CORS, the form
 * (fixed fields read-only), provisioning import. State and actions: utils/ui/settings-page.ts.
 */
export function OptionsApp(deps: SettingsPageDeps) {
  const t = useT();
  const { state, endpoint, blocked, form, requestAccess, save, readFile, readUrl, apply } = useSettingsPage(deps);
  const destination = useLiveQuery(() => loadDestinationChoice(deps.db).then((choice) => choice ?? null), [deps.db]);
  const goodFaith = useLiveQuery(() => loadGoodFaith(deps.db).then((accepted) => accepted ?? null), [deps.db]);
  if (!state) return <p class="hint">{t('popup_loading')}</p>;
  return (
    <>
      <PolicyNotice policy={state.view} />
      {!policyDecides(state.policy) && destination !== undefined && (
        <DestinationSummary choice={effectiveChoice(destination ?? undefined, state.user)} firstRunUrl={FIRST_RUN_PATH.slice(1)} />
      )}
      {endpoint && blocked && <EndpointAccess origin={endpointOrigin(endpoint)} onRequest={() => requestAccess(endpoint)} />}
      <SettingsForm key={form.key} initial={form.seed ?? state.user} effective={state.settings} policy={state.view} onSave={save} />
      {goodFaith !== undefined && (
        <GoodFaithSetting
          acceptedAt={goodFaith?.acceptedAt}
          onWithdraw={() =>
            void withdrawGoodFaith(deps.db)
              // The popup's next first screen must not say the statement stands (same origin, same storage).
              .then(() => rememberGoodFaithStanding(localStorage, false))
              .catch((error: unknown) => console.warn('Flagline could not withdraw the statement:', error))
          }
        />
      )}
      <ProvisioningImport
        organizationName={state.view.organizationName}
        readFile={readFile}
        readUrl={readUrl}
        preview={(file) => previewProvisioning(file, state)}
        apply={apply}
      />
    </>
  );
}
