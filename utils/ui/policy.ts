import { useEffect, useState } from 'preact/hooks';
import type { FlaglineDB } from '../db';
import { onPolicyChanged, type ReadManagedStorage, type StorageChangedEvent } from '../policy';
import { loadEffectiveState, type EffectiveState } from '../settings';
import { useLiveQuery } from './hooks';

/** Where a page reads the managed policy from, and hears about its changes. */
export interface PolicySource {
  read: ReadManagedStorage;
  changes?: StorageChangedEvent;
}

/**
 * Effective settings and the policy view, live: re-read when the user's settings change (Dexie
 * live query) and when the managed policy changes (`storage.onChanged`, area `managed`).
 * The popup, settings page and workspace use this.
 */
export function useEffectiveState(db: FlaglineDB, source: PolicySource): EffectiveState | undefined {
  const [policyVersion, setPolicyVersion] = useState(0);
  useEffect(() => onPolicyChanged(source.changes, () => setPolicyVersion((v) => v + 1)), [source]);
  return useLiveQuery(() => loadEffectiveState(db, source.read), [db, source, policyVersion]);
}
