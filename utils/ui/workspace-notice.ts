import { useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n';
import type { DeletedBatch } from '../workspace/bulk';
import { WorkspaceError } from '../workspace/errors';

/** How long a delete can be undone. */
const UNDO_MS = 15_000;

export type Notice = { tone: 'ok' | 'error'; text: string; undo?: DeletedBatch };

/** A workspace action's failure as the user reads it. */
export function errorText(t: Translate, error: unknown): string {
  if (error instanceof WorkspaceError) {
    return error.key.startsWith('workspace_import_') ? t('workspace_import_refused', t(error.key, error.detail)) : t(error.key, error.detail);
  }
  return t('workspace_error_unexpected', error instanceof Error ? error.message : String(error));
}

/**
 * The workspace's one status line: what the last action did (with Undo for a delete, offered for
 * UNDO_MS), or why it failed. `guard` runs an action and shows its failure there.
 */
export function useNotice(t: Translate) {
  const [notice, setNotice] = useState<Notice>();
  const undoTimer = useRef<ReturnType<typeof setTimeout>>();
  const say = (text: string, tone: Notice['tone'] = 'ok', undo?: DeletedBatch) => {
    clearTimeout(undoTimer.current);
    setNotice({ tone, text, ...(undo ? { undo } : {}) });
    if (undo) undoTimer.current = setTimeout(() => setNotice((n) => (n?.undo === undo ? { tone: 'ok', text: n.text } : n)), UNDO_MS);
  };
  const guard = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      say(errorText(t, error), 'error');
    }
  };
  return { notice, say, guard };
}
