import { useEffect, useRef } from 'preact/hooks';
import { useT } from '@/utils/i18n';
import type { WorkspaceRow } from '@/utils/workspace/rows';

interface Props {
  groups: ReadonlyArray<readonly WorkspaceRow[]>;
  onKeep: (group: readonly WorkspaceRow[], merge: boolean) => void;
  onSendAll: (group: readonly WorkspaceRow[]) => void;
  onCancel: () => void;
}

/** Shown before sending when the selection has possible duplicates: decide per group. */
export function DuplicateDialog({ groups, onKeep, onSendAll, onCancel }: Props) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!ref.current?.open) ref.current?.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      class="ws-dialog"
      aria-labelledby="ws-dup-title"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="ws-dup-title">{t('workspace_dup_title')}</h2>
      <p>{t('workspace_dup_intro')}</p>
      {groups.map((group, index) => (
        <section key={group[0]?.id} class="ws-dup-group" aria-labelledby={`ws-dup-group-${index}`}>
          <h3 id={`ws-dup-group-${index}`}>{t('workspace_dup_group', index + 1)}</h3>
          <ol>
            {group.map((row) => (
              <li key={row.id}>
                <span class="ws-title">{row.title || row.url}</span>
                <span class="ws-excerpt">{row.explanation}</span>
              </li>
            ))}
          </ol>
          <div class="ws-actions">
            <button type="button" onClick={() => onKeep(group, false)}>
              {t('workspace_dup_keep')}
            </button>
            <button type="button" onClick={() => onKeep(group, true)}>
              {t('workspace_dup_merge')}
            </button>
            <button type="button" onClick={() => onSendAll(group)}>
              {t('workspace_dup_sendBoth')}
            </button>
          </div>
        </section>
      ))}
      <button type="button" onClick={onCancel}>
        {t('workspace_dup_cancel')}
      </button>
    </dialog>
  );
}
