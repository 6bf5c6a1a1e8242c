import { useEffect } from 'preact/hooks';
import { sendChecked } from '../lazy-checks';
import type { SendRaw } from '../messaging';

/**
 * A page that shows reports asks their channels what became of them when it opens (and when the
 * shown set changes): the background asks at most once a minute per channel, ids and status
 * tokens only. What it learns arrives through the database's live queries.
 */
export function useStatusRefresh(send: SendRaw, ids: readonly string[] | 'all' | undefined): void {
  const key = ids === 'all' ? 'all' : (ids?.join(',') ?? '');
  useEffect(() => {
    if (!ids || ids.length === 0) return;
    sendChecked(send, 'refreshStatus', { ids: ids === 'all' ? 'all' : [...ids] }).catch((error: unknown) =>
      console.warn('Flagline could not refresh report status:', error),
    );
    // `key` stands for the ids: a new array with the same reports asks nothing new.
  }, [send, key]);
}
