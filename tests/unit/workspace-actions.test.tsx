// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import type { FlaglineDB } from '@/utils/db';
import { translate } from '@/utils/i18n';
import { useBulkActions } from '@/utils/ui/workspace-actions';
import { useOpenReport, useReportDetail } from '@/utils/ui/workspace-detail';
import { useNotice } from '@/utils/ui/workspace-notice';
import { useWorkspaceSelection } from '@/utils/ui/workspace-selection';
import { useDuplicateCheckedSubmit } from '@/utils/ui/workspace-submit';
import { useTransfer } from '@/utils/ui/workspace-transfer';
import { duplicateIndex, findDuplicateGroups } from '@/utils/workspace/duplicate-key';
import { EMPTY_FILTERS, toRow, toRowFilter, type WorkspaceRow } from '@/utils/workspace/rows';
import { freshDb, testClock } from './helpers';
import { memoryEvidence, seedReport } from './workspace-support';

afterEach(cleanup);

/** The workspace's action hooks on one database, with the real status line; `sent` records messages to the background. */
function setup(db: FlaglineDB = freshDb()) {
  const clock = testClock();
  const evidence = memoryEvidence();
  const sent: unknown[] = [];
  const send = async (message: unknown) => {
    sent.push(message);
    return { ok: true, data: { attempted: 0, sent: 0, failed: 0, retrying: 0 } };
  };
  return { db, clock, evidence, sent, send };
}

type Env = ReturnType<typeof setup> & { download?: (name: string, content: string | Uint8Array, mediaType: string) => void };

async function rowsOf(env: Env): Promise<WorkspaceRow[]> {
  return (await env.db.reports.toArray()).map((r) => toRow(r));
}

function useActions(env: Env, rows: WorkspaceRow[], onDeleted: (ids: readonly string[]) => void = () => undefined) {
  const { notice, say, guard } = useNotice(translate);
  const deps = { ...env, categories: BUILT_IN_CATEGORIES, t: translate, say, guard };
  const byId = new Map(rows.map((r) => [r.id, r]));
  const duplicates = duplicateIndex(findDuplicateGroups(rows, (row) => row.dupKey));
  return {
    notice,
    bulk: useBulkActions(deps, onDeleted),
    submit: useDuplicateCheckedSubmit(deps, byId, duplicates),
    transfer: useTransfer(deps, 'en', env.download),
  };
}

describe('toRowFilter (the filter bar as a row filter)', () => {
  it('turns the date inputs into whole local days and leaves empty dates out', () => {
    expect(toRowFilter(EMPTY_FILTERS)).toEqual({ status: '', review: '', category: '', site: '', query: '', handoff: '', sort: 'newest' });
    const filter = toRowFilter({ ...EMPTY_FILTERS, from: '2026-11-24', to: '2026-11-24' });
    expect(filter.from).toBe(new Date(2026, 10, 24).getTime());
    expect(filter.to).toBe(new Date(2026, 10, 25).getTime());
  });
});

describe('useWorkspaceSelection', () => {
  it('select-all takes what the filters show; actions see only selected reports that are visible; a vanished report leaves the selection', async () => {
    const env = setup();
    await seedReport(env.db, env.clock, { category: 'rumor' });
    await seedReport(env.db, env.clock, { category: 'cyberviolence' });
    const rows = await rowsOf(env);
    const [rumor, abuse] = [rows.find((r) => r.category === 'rumor')!, rows.find((r) => r.category === 'cyberviolence')!];
    const { result, rerender } = renderHook(({ all }) => useWorkspaceSelection(all, all), { initialProps: { all: rows } });

    await act(() => result.current.setFilters({ ...EMPTY_FILTERS, category: 'rumor' }));
    expect(result.current.visible.map((r) => r.id)).toEqual([rumor.id]);
    await act(() => result.current.selectAllVisible(true));
    expect(result.current.allVisibleSelected).toBe(true);
    expect([...result.current.selected]).toEqual([rumor.id]);

    await act(() => result.current.setFilters(EMPTY_FILTERS));
    await act(() => result.current.toggle(abuse.id, true));
    expect(result.current.selectedIds().sort()).toEqual([rumor.id, abuse.id].sort());
    // Hidden by a filter: still selected, but not acted on.
    await act(() => result.current.setFilters({ ...EMPTY_FILTERS, category: 'cyberviolence' }));
    expect(result.current.selectedIds()).toEqual([abuse.id]);

    rerender({ all: [abuse] });
    await waitFor(() => expect([...result.current.selected]).toEqual([abuse.id]));
    await act(() => result.current.selectAllVisible(false));
    expect(result.current.selected.size).toBe(0);
  });
});

describe('useDuplicateCheckedSubmit', () => {
  it('refuses when none of the reports is held, and submits held reports without duplicates at once, then starts delivery', async () => {
    const env = setup();
    const waiting = await seedReport(env.db, env.clock, { url: 'https://a.example/1' });
    const held = await seedReport(env.db, env.clock, { url: 'https://a.example/2', patch: { status: 'held' } });
    const rows = await rowsOf(env);
    const { result } = renderHook(() => useActions(env, rows));

    await act(() => result.current.submit.request([waiting.id]));
    expect(result.current.notice).toEqual({ tone: 'error', text: 'Select at least one report first.' });

    await act(() => result.current.submit.request([waiting.id, held.id]));
    await waitFor(() => expect(result.current.notice?.text).toBe(translate('workspace_submitted', 1)));
    expect((await env.db.reports.get(held.id))?.status).toBe('waiting');
    expect(result.current.submit.groups).toEqual([]);
    await waitFor(() => expect(env.sent).toEqual([{ type: 'flushOutbox', payload: { force: false } }]));
  });

  it('holds back a report with a duplicate until the user decides; cancel submits nothing', async () => {
    const env = setup();
    const first = await seedReport(env.db, env.clock, { url: 'https://a.example/same', patch: { status: 'held' } });
    const second = await seedReport(env.db, env.clock, { url: 'https://a.example/same', patch: { status: 'held' } });
    const rows = await rowsOf(env);
    const { result } = renderHook(() => useActions(env, rows));

    await act(() => result.current.submit.request([first.id]));
    await waitFor(() => expect(result.current.submit.groups.map((g) => g.map((r) => r.id).sort())).toEqual([[first.id, second.id].sort()]));
    await act(() => result.current.submit.cancel());
    expect(result.current.submit.groups).toEqual([]);
    expect((await env.db.reports.get(first.id))?.status).toBe('held');
    expect(env.sent).toEqual([]);
  });

  it('keeping one of a group deletes the others (with Undo) and submits the kept one', async () => {
    const env = setup();
    const first = await seedReport(env.db, env.clock, { url: 'https://a.example/same', patch: { status: 'held' } });
    const second = await seedReport(env.db, env.clock, { url: 'https://a.example/same', patch: { status: 'held' } });
    let rows = await rowsOf(env);
    const { result, rerender } = renderHook(() => useActions(env, rows));

    await act(() => result.current.submit.request([first.id, second.id]));
    await waitFor(() => expect(result.current.submit.groups).toHaveLength(1));
    const group = result.current.submit.groups[0]!;
    await act(() =>
      result.current.submit.keep(
        group,
        group.find((r) => r.id === first.id)!,
        false,
      ),
    );
    expect(result.current.notice?.text).toBe(translate('workspace_deleted', 1));
    expect(result.current.notice?.undo?.items.map((i) => i.record.id)).toEqual([second.id]);
    // The page's rows follow the database: the deleted duplicate is gone, so no group is left.
    rows = await rowsOf(env);
    rerender({});
    await waitFor(() => expect(result.current.notice?.text).toBe(translate('workspace_submitted', 1)));
    expect((await env.db.reports.get(first.id))?.status).toBe('waiting');
  });
});

describe('useBulkActions', () => {
  it('delete tells the page which reports went (the open one closes), and undo brings them back', async () => {
    const env = setup();
    const record = await seedReport(env.db, env.clock);
    const onDeleted = vi.fn();
    const { result } = renderHook(() => useActions(env, [], onDeleted));

    await act(() => result.current.bulk.remove([]));
    expect(result.current.notice).toEqual({ tone: 'error', text: 'Select at least one report first.' });
    await act(() => result.current.bulk.remove([record.id]));
    expect(onDeleted).toHaveBeenCalledWith([record.id]);
    expect(await env.db.reports.count()).toBe(0);
    await act(() => result.current.bulk.undo(result.current.notice!.undo!));
    expect(result.current.notice?.text).toBe(translate('workspace_restored', 1));
    expect(await env.db.reports.count()).toBe(1);
  });

  it('change category needs a category; saving an edit of a report that is gone resolves with the translated error instead of throwing', async () => {
    const env = setup();
    const record = await seedReport(env.db, env.clock, { category: 'rumor' });
    const { result } = renderHook(() => useActions(env, []));

    await act(() => result.current.bulk.changeCategory([record.id], '', ''));
    expect(result.current.notice?.tone).toBe('error');
    await act(() => result.current.bulk.changeCategory([record.id], 'cyberviolence', ''));
    expect(result.current.notice?.text).toBe(translate('workspace_changed', [1, 0]));
    expect((await env.db.reports.get(record.id))?.report.category).toBe('cyberviolence');

    const error = await result.current.bulk.saveEdit('00000000-0000-4000-8000-999999999999', { explanation: 'x' });
    expect(typeof error).toBe('string');
    expect(error).not.toBe('');
  });
});

describe('useTransfer', () => {
  it('exports the given reports as a named download, says when there is nothing to export, and reports a refused import on the status line', async () => {
    const env = { ...setup(), download: vi.fn() };
    const record = await seedReport(env.db, env.clock);
    const { result } = renderHook(() => useActions(env, []));

    await act(() => result.current.transfer.exportAs('json', []));
    expect(result.current.notice).toEqual({ tone: 'error', text: 'Select at least one report first.' });
    expect(env.download).not.toHaveBeenCalled();

    await act(() => result.current.transfer.exportAs('csv', [record.id]));
    expect(env.download).toHaveBeenCalledWith(expect.stringMatching(/\.csv$/), expect.stringContaining(record.id), 'text/csv;charset=utf-8');
    expect(result.current.notice?.text).toBe(translate('workspace_exported', 1));

    await act(() => result.current.transfer.importFile(new Blob(['not json'])));
    expect(result.current.notice?.tone).toBe('error');
    expect(await env.db.reports.count()).toBe(1);
  });
});

describe('the detail view', () => {
  it('reads the open report with its ledger oldest first, and shows nothing of a report no longer open', async () => {
    const env = setup();
    const record = await seedReport(env.db, env.clock, {
      patch: {
        ledger: [
          { at: 3, endpoint: 'https://r.example/', outcome: 'accepted' },
          { at: 1, endpoint: 'https://r.example/', outcome: 'retry' },
        ],
      },
    });
    const initialProps: { id: string | undefined } = { id: record.id };
    const { result, rerender } = renderHook(({ id }) => useReportDetail(env.db, env.evidence, id), { initialProps });
    await waitFor(() => expect(result.current?.record.id).toBe(record.id));
    expect(result.current?.ledger.map((l) => l.at)).toEqual([1, 3]);
    rerender({ id: undefined });
    expect(result.current).toBeUndefined();
  });

  it('a delete closes the open report only when it removed that report', async () => {
    const { result } = renderHook(() => useOpenReport());
    await act(() => result.current.open('a'));
    await act(() => result.current.forget(['b']));
    expect(result.current.openId).toBe('a');
    await act(() => result.current.forget(['a', 'b']));
    expect(result.current.openId).toBeUndefined();
  });
});
