import type { FlaglineDB } from './db';
import { countOutbox, lastDeliveryError, readWithDeliveryState, recentReports } from './leases';
import { getDeliveryPause } from './outbox/pause';
import type { ReadManagedStorage } from './policy';
import type { PopupState } from './schema/messages';
import { effectiveStateOf, loadGoodFaith, loadUserSettings } from './settings';

/**
 * What the popup shows besides the tab, read in the background (`popupState`): the popup opens no
 * database, so it neither loads Dexie nor waits for IndexedDB before its first screen. The policy
 * is read once and handed over raw, for the popup to parse with the one `parsePolicy`.
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
  const { endpointUrl, reporterName, reporterContact } = effectiveStateOf(user, raw).settings;
  return {
    settings: { endpointUrl, reporterName, reporterContact },
    policy: raw,
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
