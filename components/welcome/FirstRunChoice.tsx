import { ProvisioningImport } from '@/components/ProvisioningImport';
import type { DestinationChoice } from '@/utils/destination';
import type { MessageKey } from '@/utils/i18n';
import { previewProvisioning } from '@/utils/provisioning';
import { useT } from '@/utils/ui/i18n';
import type { FirstRunState } from '@/utils/ui/first-run';

interface Props {
  firstRun: FirstRunState;
  /** The settings page's address (the endpoint form). */
  settingsUrl: string;
}

const CHOICES: ReadonlyArray<{ id: DestinationChoice; label: MessageKey; hint: MessageKey }> = [
  { id: 'organisation', label: 'welcome_choice_organisation', hint: 'welcome_choice_organisation_hint' },
  { id: 'official', label: 'welcome_choice_official', hint: 'welcome_choice_official_hint' },
  { id: 'endpoint', label: 'welcome_choice_endpoint', hint: 'welcome_choice_endpoint_hint' },
];

const SAVED: Record<DestinationChoice, MessageKey> = {
  organisation: 'welcome_saved_organisation',
  official: 'welcome_saved_official',
  endpoint: 'welcome_saved_endpoint',
};

/** "Where should your reports go?": three plain choices for a parent, not a technician. */
export function FirstRunChoice({ firstRun, settingsUrl }: Props) {
  const t = useT();
  if (firstRun.loading || !firstRun.state) return <p class="hint">{t('popup_loading')}</p>;
  const { choice, state } = firstRun;
  return (
    <>
      <p>{t('welcome_intro')}</p>
      <fieldset class="choices">
        <legend>{t('welcome_legend')}</legend>
        {CHOICES.map((option) => (
          <div key={option.id} class="choice">
            <input
              type="radio"
              id={`choice-${option.id}`}
              name="destination"
              value={option.id}
              checked={choice === option.id}
              aria-describedby={`choice-${option.id}-hint`}
              onChange={() => firstRun.pick(option.id)}
            />
            <label for={`choice-${option.id}`}>{t(option.label)}</label>
            <p id={`choice-${option.id}-hint`} class="hint">
              {t(option.hint)}
            </p>
          </div>
        ))}
      </fieldset>
      {choice === 'organisation' ? (
        <ProvisioningImport
          organizationName={state.view.organizationName}
          readFile={firstRun.readFile}
          readUrl={firstRun.readUrl}
          preview={(file) => previewProvisioning(file, state)}
          apply={firstRun.apply}
        />
      ) : (
        <p>
          <button type="button" class="primary" onClick={() => void firstRun.save()}>
            {t('welcome_save')}
          </button>
        </p>
      )}
      <p role="status" aria-live="polite">
        {firstRun.saved ? t(SAVED[firstRun.saved]) : ''}
        {firstRun.error ? t(firstRun.error as MessageKey) : ''}
      </p>
      {firstRun.saved === 'endpoint' && (
        <p>
          <a href={settingsUrl}>{t('welcome_openSettings')}</a>
        </p>
      )}
    </>
  );
}
