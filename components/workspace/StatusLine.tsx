import { useT } from '@/utils/ui/i18n';
import type { DeletedBatch } from '@/utils/workspace/bulk';
import type { Notice } from '@/utils/ui/workspace-notice';

interface Props {
  notice: Notice | undefined;
  onUndo: (batch: DeletedBatch) => void;
}

/** The workspace's status line: what the last action did, with Undo after a delete, or why it failed. */
export function StatusLine({ notice, onUndo }: Props) {
  const t = useT();
  return (
    <p role="status" class={notice?.tone === 'error' ? 'form-error' : 'form-ok'} aria-live="polite">
      {notice?.text ?? ''}
      {notice?.undo && (
        <button type="button" class="ws-undo" onClick={() => onUndo(notice.undo as DeletedBatch)}>
          {t('workspace_undo')}
        </button>
      )}
    </p>
  );
}
