import { useEffect, useMemo, useState } from 'preact/hooks';
import type { WorkspaceRow } from '../workspace/rows';
import { bulk, flush, type WorkspaceActionDeps } from './workspace-actions';

/**
 * Submitting held reports from the workspace, checked for duplicates first. `request(ids)` keeps
 * the held ones pending; while any of them has a duplicate, `groups` lists those groups (the
 * dialog asks about them: send all, keep one, or cancel); once none is left the pending reports
 * are submitted and delivery starts.
 */
export function useDuplicateCheckedSubmit(
  { db, evidence, send, clock, categories, t, say, guard }: WorkspaceActionDeps,
  byId: ReadonlyMap<string, WorkspaceRow>,
  duplicates: ReadonlyMap<string, readonly string[]>,
) {
  const [pending, setPending] = useState<string[]>();

  // Duplicate groups that touch the reports about to be submitted.
  const groups = useMemo(() => {
    if (!pending) return [];
    const seen = new Set<string>();
    const found: WorkspaceRow[][] = [];
    for (const id of pending) {
      const group = duplicates.get(id);
      if (!group || seen.has(group[0] as string)) continue;
      seen.add(group[0] as string);
      found.push(group.map((gid) => byId.get(gid)).filter((r): r is WorkspaceRow => !!r));
    }
    return found;
  }, [pending, duplicates, byId]);

  const submitNow = async (ids: string[]) => {
    setPending(undefined);
    const present = ids.filter((id) => byId.has(id));
    const result = await (await bulk()).submitHeld(db, present, clock);
    if (result.changed === 0) return say(t('workspace_nothingSelected'), 'error');
    say(t('workspace_submitted', result.changed));
    void flush(send);
  };

  useEffect(() => {
    if (pending && groups.length === 0) void guard(() => submitNow(pending));
  }, [pending, groups]);

  /** Submits the held reports among `ids`, once their duplicates are settled. */
  const request = (ids: string[]) => {
    const held = ids.filter((id) => byId.get(id)?.status === 'held');
    if (held.length === 0) return say(t('workspace_nothingSelected'), 'error');
    setPending(held);
  };
  const cancel = () => setPending(undefined);
  /** The group's reports are not duplicates after all: each is sent. */
  const sendAll = (group: readonly WorkspaceRow[]) =>
    guard(async () =>
      (await bulk()).acknowledgeDuplicates(
        db,
        group.map((r) => r.id),
        clock,
      ),
    );
  /** Keeps `keep` (merging the others' explanations when `merge`) and deletes the rest, with Undo. */
  const keep = (group: readonly WorkspaceRow[], kept: WorkspaceRow, merge: boolean) =>
    guard(async () => {
      const others = group.filter((row) => row.id !== kept.id);
      const { deleted } = await (
        await bulk()
      ).keepOneDuplicate(
        db,
        evidence,
        kept.id,
        others.map((o) => o.id),
        { merge, clock, categories },
      );
      setPending((ids) => ids?.filter((id) => !deleted.items.some((i) => i.record.id === id)));
      say(t('workspace_deleted', deleted.items.length), 'ok', deleted);
    });

  return { groups, request, cancel, sendAll, keep };
}
