import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '@/utils/ui/i18n';
import type { WorkspaceRow } from '@/utils/workspace/rows';

interface Props {
  groups: ReadonlyArray<readonly WorkspaceRow[]>;
  /** Keeps `keep` and deletes the rest of `group`; with `merge`, `keep` gains their explanations. */
  onKeep: (group: readonly WorkspaceRow[], keep: WorkspaceRow, merge: boolean) => void;
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
        <DuplicateGroup key={group[0]?.id} group={group} index={index} onKeep={onKeep} onSendAll={onSendAll} />
      ))}
      <button type="button" onClick={onCancel}>
        {t('workspace_dup_cancel')}
      </button>
    </dialog>
  );
}

function DuplicateGroup({
  group,
  index,
  onKeep,
  onSendAll,
}: {
  group: readonly WorkspaceRow[];
  index: number;
  onKeep: Props['onKeep'];
  onSendAll: Props['onSendAll'];
}) {
  const t = useT();
  const [keepId, setKeepId] = useState(group[0]?.id);
  const keep = group.find((row) => row.id === keepId) ?? group[0];
  return (
    <fieldset class="ws-dup-group">
      <legend>{t('workspace_dup_group', index + 1)}</legend>
      {group.map((row) => (
        <div class="choice" key={row.id}>
          <input type="radio" id={`keep-${row.id}`} name={`keep-${index}`} checked={row.id === keep?.id} onChange={() => setKeepId(row.id)} />
          <label for={`keep-${row.id}`}>
            <span class="ws-title">{row.title || row.url}</span>
            <span class="ws-excerpt">{row.explanation}</span>
          </label>
        </div>
      ))}
      <div class="ws-actions">
        <button type="button" onClick={() => keep && onKeep(group, keep, false)}>
          {t('workspace_dup_keep')}
        </button>
        <button type="button" onClick={() => keep && onKeep(group, keep, true)}>
          {t('workspace_dup_merge')}
        </button>
        <button type="button" onClick={() => onSendAll(group)}>
          {t('workspace_dup_sendBoth')}
        </button>
      </div>
    </fieldset>
  );
}
