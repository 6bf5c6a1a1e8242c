import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

/**
 * Subscribes to a Dexie live query. Dexie broadcasts changes between the extension's contexts,
 * so the popup sees what the background worker writes while it delivers.
 */
export function useLiveQuery<T>(query: () => Promise<T> | T, deps: unknown[]): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({ next: setValue, error: (e) => console.error(e) });
    return () => subscription.unsubscribe();
    // `deps` are the caller's: the query re-subscribes when they change, as with useEffect.
  }, deps);
  return value;
}
