import type { FlaglineDB } from './db';
import { countOutbox, lastDeliveryError, readWithDeliveryState, recentReports } from './leases';
import { getDeliveryPause } from './outbox/pause';
import type { ReadManagedStorage } from './policy';
import type { PopupState } from './schema/messages';
import { effectiveStateOf, loadGoodFaith, loadUserSettings } from './settings';

/**
 * What the popup shows besides the tab, read in the background (`popupState`): the popup opens no
 * database, so it neither loads Dexie nor waits for IndexedDB before its first screen. The policy
 * is read and parsed here with the one `parsePolicy`, so the popup needs no policy schema.
 */
export async function readPopupState(db: FlaglineDB, readPolicy: ReadManagedStorage, submittedId?: string): Promise<PopupState> {
  const [user, raw, goodFaith, counts, lastError, recent, paused, submitted] = await Promise.all([
    loadUserSettings(db),
    readPolicy(),
    loadGoodFaith(db),
    countOutbox(db),
    lastDeliveryError(db),
    recentReports(db),
    getDeliveryPause(db),
    submittedId ? readWithDeliveryState(db, submittedId) : undefined,
  ]);
  const { settings, policy } = effectiveStateOf(user, raw);
  const { endpointUrl, reporterName, reporterContact } = settings;
  return {
    settings: { endpointUrl, reporterName, reporterContact },
    policy,
    ...(goodFaith ? { goodFaith } : {}),
    outbox: {
      counts,
      ...(lastError ? { lastError } : {}),
      recent,
      paused: paused !== undefined,
      ...(submitted ? { submitted } : {}),
    },
  };
}
