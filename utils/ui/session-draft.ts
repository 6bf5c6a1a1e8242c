import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionArea } from '../drafts';
import type { ReportDraft } from '../report-form';

/**
 * The report window's draft, kept in session storage under `key` so a reload of the window keeps
 * what was typed. The form is usable before the stored draft is read: it is read once `parse`
 * (which ignores a stored value that is not a draft) is given — the schemas load after the
 * form's first render — and a change made meanwhile is newer, and is kept. `forget` removes it
 * after a submit.
 */
export function useSessionDraft(session: SessionArea, key: string, empty: ReportDraft, parse?: (stored: unknown) => ReportDraft | undefined) {
  const [draft, setDraft] = useState<ReportDraft>(empty);
  const changed = useRef(false);
  useEffect(() => {
    if (!parse) return;
    void session.get(key).then((stored) => {
      const restored = parse(stored[key]);
      if (restored && !changed.current) setDraft(restored);
    });
  }, [key, parse]);
  const update = (next: ReportDraft) => {
    changed.current = true;
    setDraft(next);
    void session.set({ [key]: next });
  };
  return { draft, update, forget: () => session.remove(key) };
}
