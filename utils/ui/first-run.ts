import { useState } from 'preact/hooks';
import { effectiveChoice, loadDestinationChoice, saveDestinationChoice, type DestinationChoice } from '../destination';
import { saveSettings } from '../settings';
import type { ProvisioningFile } from '../provisioning';
import { useLiveQuery } from './hooks';
import { useSettingsPage, type SettingsPageDeps } from './settings-page';

/**
 * "Where should your reports go?" (issue 16): the first-run page's state and actions. Choosing
 * official channels clears any endpoint the user had typed (none means none: nothing is sent to
 * a guess); the organisation's file goes through the same provisioning import as settings.
 */
export function useFirstRun(deps: SettingsPageDeps) {
  const page = useSettingsPage(deps);
  const stored = useLiveQuery(() => loadDestinationChoice(deps.db).then((choice) => choice ?? null), [deps.db]);
  const [picked, setPicked] = useState<DestinationChoice>();
  const [saved, setSaved] = useState<DestinationChoice>();
  const [error, setError] = useState<string>();
  const current = page.state && stored !== undefined ? effectiveChoice(stored ?? undefined, page.state.user) : undefined;
  const choice = picked ?? current;

  const save = async () => {
    if (!choice || !page.state) return;
    setError(undefined);
    if (choice === 'official' && page.state.user.endpointUrl !== '' && !page.state.view.fixed.includes('endpointUrl')) {
      const result = await saveSettings(deps.db, { endpointUrl: '' }, deps.policySource.read);
      if (!result.ok) return setError(result.errors.endpointUrl ?? 'policy_error_fixed');
    }
    await saveDestinationChoice(deps.db, choice);
    setSaved(choice);
  };

  /** The organisation's file applied: that is the choice. */
  const apply = async (file: ProvisioningFile) => {
    const result = await page.apply(file);
    if (result.ok) {
      await saveDestinationChoice(deps.db, 'organisation');
      setSaved('organisation');
    }
    return result;
  };

  return {
    loading: !page.state || stored === undefined,
    state: page.state,
    choice,
    pick: setPicked,
    save,
    saved,
    error,
    readFile: page.readFile,
    readUrl: page.readUrl,
    apply,
  };
}
export type FirstRunState = ReturnType<typeof useFirstRun>;
