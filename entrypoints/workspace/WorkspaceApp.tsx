import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CategoryFields } from '@/components/workspace/CategoryFields';
import { DuplicateDialog } from '@/components/workspace/DuplicateDialog';
import type { ReportDetail } from '@/components/workspace/ReportDetail';
import { ReportList } from '@/components/workspace/ReportList';
import { EMPTY_FILTERS, WorkspaceFilters, type FilterValues } from '@/components/workspace/WorkspaceFilters';
import type { CategoryDef } from '@/utils/categories';
import type { FlaglineDB } from '@/utils/db';
import { useT } from '@/utils/ui/i18n';
import type { SendRaw } from '@/utils/messaging';
import type { LedgerLine, ReportRecord } from '@/utils/schema/record';
import type { Clock } from '@/utils/time';
import { downloadFile, exportBaseName } from '@/utils/ui/download';
import { useLiveQuery } from '@/utils/ui/hooks';
import { readLeases, withDeliveryState } from '@/utils/leases';
import type { PolicySource } from '@/utils/ui/policy';
import type { DeletedBatch } from '@/utils/workspace/bulk';
import { duplicateIndex, findDuplicateGroups } from '@/utils/workspace/duplicate-key';
import type { EvidenceArtifact, EvidenceSource } from '@/utils/workspace/evidence';
// What runs only on a click — bulk actions, editing, the detail view, messaging, export and
// import (ZIP, CSV) — and the schema library under them load on first use, keeping them off
// the page's start-up path (`workspace.render10kMs`).
const exporting = () => import('@/utils/workspace/export');
const importing = () => import('@/utils/workspace/import');
const bulk = () => import('@/utils/workspace/bulk');
const editing = () => import('@/utils/reports/edit');
const messaging = () => import('@/utils/messaging');
const detailView = () => import('@/components/workspace/ReportDetail');
import { errorText, useNotice } from '@/utils/ui/workspace-notice';
import { useWorkspacePolicy } from '@/utils/ui/workspace-policy';
import { useThumbnails, useWorkspaceRows } from '@/utils/ui/workspace-rows';
import { timeFormatter } from '@/utils/workspace/open';
import { dayEnd, dayStart, distinctSites, filterRows, type WorkspaceRow } from '@/utils/workspace/rows';

interface Props {
  db: FlaglineDB;
  evidence: EvidenceSource;
  send: SendRaw;
  clock: Clock;
  categories: readonly CategoryDef[];
  lang: string;
  /** The managed policy: organisation name and the school's own categories. */
  policySource?: PolicySource;
  /** The newest reports, already being read (utils/workspace/open.ts); read here when absent. */
  firstSlice?: Promise<ReportRecord[]>;
  /** The first slice when it was there before the first render. */
  initialRecords?: ReportRecord[];
}

const NO_POLICY: PolicySource = { read: async () => ({}) };

/*
 * The workspace page. Over 300 lines in one module: its state (filters, selection, the pending
 * submit) and the bulk, export, import and detail actions on it live in one component; the rows
 * (utils/ui/workspace-rows.ts), the status line (utils/ui/workspace-notice.ts) and the policy
 * (utils/ui/workspace-policy.ts) are hooks of their own. Moving the actions into hooks too is
 * the next step of thinning the entrypoints.
 */

/** Wires the workspace: loading rows, filters, selection, bulk actions, detail, export, import. */
export function WorkspaceApp({ db, evidence, send, clock, categories: builtIn, lang, policySource = NO_POLICY, firstSlice: firstRead, initialRecords }: Props) {
  const t = useT();
  // What the policy offers first (the school's own categories included), then any built-in one
  // it left out, so reports made before a policy change still show their category.
  const { categories, organizationName } = useWorkspacePolicy(db, policySource, builtIn, lang);
  const [filters, setFilters] = useState<FilterValues>(EMPTY_FILTERS);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [openId, setOpenId] = useState<string>();
  const [pendingSubmit, setPendingSubmit] = useState<string[]>();
  const filterStarted = useRef<number>();

  // The newest reports first, then the full list, kept current (utils/ui/workspace-rows.ts).
  const { allRows, rows } = useWorkspaceRows(db, evidence, firstRead, initialRecords);
  const loadThumbnail = useThumbnails(evidence);

  // Each row's key was computed once, from its canonical URL and captured text (rows.ts).
  const duplicates = useMemo(() => duplicateIndex(findDuplicateGroups(allRows ?? [], (row) => row.dupKey)), [allRows]);
  const sites = useMemo(() => distinctSites(allRows ?? []), [allRows]);
  const visible = useMemo(
    () =>
      filterRows(rows ?? [], {
        status: filters.status as WorkspaceRow['status'] | '',
        category: filters.category,
        site: filters.site,
        ...(dayStart(filters.from) === undefined ? {} : { from: dayStart(filters.from) }),
        ...(dayEnd(filters.to) === undefined ? {} : { to: dayEnd(filters.to) }),
        query: filters.query,
        sort: filters.sort,
      }),
    [rows, filters],
  );
  const byId = useMemo(() => new Map((rows ?? []).map((r) => [r.id, r])), [rows]);

  // Performance marks for `npm run bench`: first rows interactive, the full list rendered again
  // after a change, and a filter's update.
  useEffect(() => {
    if (rows && !performance.getEntriesByName('flagline:workspace-ready').length) performance.mark('flagline:workspace-ready');
  }, [rows]);
  useEffect(() => {
    if (allRows) performance.mark('flagline:workspace-rows');
  }, [allRows]);
  useEffect(() => {
    if (filterStarted.current === undefined) return;
    performance.measure('flagline:workspace-filter', { start: filterStarted.current, end: performance.now() });
    filterStarted.current = undefined;
  }, [visible]);

  // Selection keeps only reports that still exist.
  useEffect(() => {
    if (!allRows) return;
    const present = [...selected].filter((id) => byId.has(id));
    if (present.length !== selected.size) setSelected(new Set(present));
  }, [allRows]);

  const formatter = timeFormatter(lang);
  const formatTime = (ms: number) => formatter.format(ms);

  const { notice, say, guard } = useNotice(t);
  const flush = () =>
    messaging()
      .then(({ sendMessage }) => sendMessage(send, 'flushOutbox', { force: false }))
      // The records show each report's delivery; a flush that could not even start is logged.
      .catch((error: unknown) => console.warn('Flagline could not start delivery:', error));
  const selectedIds = () => visible.filter((r) => selected.has(r.id)).map((r) => r.id);
  const deps = { clock, categories };

  const allVisibleSelected = visible.length > 0 && visible.every((r) => selected.has(r.id));

  // Duplicate groups that touch the reports about to be submitted.
  const pendingGroups = useMemo(() => {
    if (!pendingSubmit) return [];
    const seen = new Set<string>();
    const groups: WorkspaceRow[][] = [];
    for (const id of pendingSubmit) {
      const group = duplicates.get(id);
      if (!group || seen.has(group[0] as string)) continue;
      seen.add(group[0] as string);
      groups.push(group.map((gid) => byId.get(gid)).filter((r): r is WorkspaceRow => !!r));
    }
    return groups;
  }, [pendingSubmit, duplicates, byId]);

  const submitNow = async (ids: string[]) => {
    setPendingSubmit(undefined);
    const present = ids.filter((id) => byId.has(id));
    const result = await (await bulk()).submitHeld(db, present, clock);
    if (result.changed === 0) return say(t('workspace_nothingSelected'), 'error');
    say(t('workspace_submitted', result.changed));
    void flush();
  };

  useEffect(() => {
    if (pendingSubmit && pendingGroups.length === 0) void guard(() => submitNow(pendingSubmit));
  }, [pendingSubmit, pendingGroups]);

  const onSubmitSelected = () => {
    const ids = selectedIds().filter((id) => byId.get(id)?.status === 'held');
    if (ids.length === 0) return say(t('workspace_nothingSelected'), 'error');
    setPendingSubmit(ids);
  };

  const onDelete = (ids: string[]) =>
    guard(async () => {
      if (ids.length === 0) return say(t('workspace_nothingSelected'), 'error');
      const batch = await (await bulk()).deleteReports(db, evidence, ids);
      if (openId && batch.items.some((i) => i.record.id === openId)) setOpenId(undefined);
      say(t('workspace_deleted', batch.items.length), 'ok', batch);
    });

  const onUndo = (batch: DeletedBatch) =>
    guard(async () => {
      await (await bulk()).restoreReports(db, evidence, batch);
      say(t('workspace_restored', batch.items.length));
    });

  /** One export: the selection (or what the filters show) in one format, downloaded. */
  const exportAs = (
    extension: string,
    mediaType: string,
    build: (lib: Awaited<ReturnType<typeof exporting>>, items: Awaited<ReturnType<typeof exportItems>>) => string | Uint8Array,
  ) =>
    void guard(async () => {
      const items = await exportItems();
      if (items.length === 0) return say(t('workspace_nothingSelected'), 'error');
      downloadFile(`${exportBaseName(clock())}.${extension}`, build(await exporting(), items), mediaType);
      say(t('workspace_exported', items.length));
    });
  const exportItems = async () => {
    const chosen = selectedIds();
    const ids = chosen.length ? chosen : visible.map((r) => r.id);
    return (await exporting()).loadExportItems(db, evidence, ids);
  };

  const [bulkCategory, setBulkCategory] = useState('');
  const [bulkReason, setBulkReason] = useState('');

  return (
    <main class="workspace">
      <header class="ws-header">
        <h1>{t('workspace_title')}</h1>
        {organizationName && <p class="organization">{t('policy_popupOrganization', organizationName)}</p>}
        <p role="status" class={notice?.tone === 'error' ? 'form-error' : 'form-ok'} aria-live="polite">
          {notice?.text ?? ''}
          {notice?.undo && (
            <button type="button" class="ws-undo" onClick={() => void onUndo(notice.undo as DeletedBatch)}>
              {t('workspace_undo')}
            </button>
          )}
        </p>
      </header>

      <WorkspaceFilters
        values={filters}
        categories={categories}
        sites={sites}
        onChange={(next) => {
          filterStarted.current = performance.now();
          setFilters(next);
        }}
      />

      <section class="ws-bulk" aria-labelledby="ws-bulk-heading">
        <h2 id="ws-bulk-heading">{t('workspace_bulk_heading')}</h2>
        <div class="ws-actions">
          <label class="ws-selectall">
            <input
              type="checkbox"
              checked={allVisibleSelected}
              onChange={(e) => setSelected(e.currentTarget.checked ? new Set([...selected, ...visible.map((r) => r.id)]) : new Set())}
            />
            <span>{t('workspace_select_all')}</span>
          </label>
          <span class="hint">{t('workspace_selected', selectedIds().length)}</span>
          <button type="button" class="primary" onClick={onSubmitSelected}>
            {t('workspace_bulk_submit')}
          </button>
          <button
            type="button"
            onClick={() =>
              void guard(async () => {
                const result = await (await bulk()).retryFailed(db, selectedIds(), clock);
                if (result.changed === 0) return say(t('workspace_nothingSelected'), 'error');
                say(t('workspace_retrying', result.changed));
                void flush();
              })
            }
          >
            {t('workspace_bulk_retry')}
          </button>
          <button type="button" onClick={() => void onDelete(selectedIds())}>
            {t('workspace_bulk_delete')}
          </button>
        </div>
        <div class="ws-actions">
          <CategoryFields
            categories={categories}
            category={bulkCategory}
            subReason={bulkReason}
            categoryLabelKey="workspace_bulk_category"
            allowNone
            onChange={(value) => {
              setBulkCategory(value.category);
              setBulkReason(value.subReason);
            }}
          />
          <button
            type="button"
            onClick={() =>
              void guard(async () => {
                const ids = selectedIds();
                if (!bulkCategory || ids.length === 0) return say(t('workspace_nothingSelected'), 'error');
                const result = await (await bulk()).changeCategory(db, ids, { category: bulkCategory, subReason: bulkReason || null }, deps);
                say(t('workspace_changed', [result.changed, result.skipped]));
              })
            }
          >
            {t('workspace_bulk_apply')}
          </button>
        </div>
      </section>

      <section class="ws-transfer" aria-labelledby="ws-transfer-heading">
        <h2 id="ws-transfer-heading">{t('workspace_export_heading')}</h2>
        <p class="hint">{t('workspace_export_hint')}</p>
        <div class="ws-actions">
          <button type="button" onClick={() => exportAs('json', 'application/json', (lib, items) => lib.exportJson(items))}>
            {t('workspace_export_json')}
          </button>
          <button type="button" onClick={() => exportAs('csv', 'text/csv;charset=utf-8', (lib, items) => lib.exportCsv(items))}>
            {t('workspace_export_csv')}
          </button>
          <button
            type="button"
            onClick={() => exportAs('zip', 'application/zip', (lib, items) => lib.buildBundle(items, { now: clock(), t, lang, categories }))}
          >
            {t('workspace_export_zip')}
          </button>
          <label class="ws-import">
            <span>{t('workspace_import')}</span>
            <input
              type="file"
              accept=".json,.zip,application/json,application/zip"
              onChange={(event) => {
                const input = event.currentTarget;
                const file = input.files?.[0];
                if (!file) return;
                void guard(async () => {
                  try {
                    const { parseImport, applyImport } = await importing();
                    const plan = await parseImport(new Uint8Array(await file.arrayBuffer()));
                    const result = await applyImport(db, evidence, plan, clock);
                    say(t('workspace_import_done', [result.added, result.skipped]));
                  } finally {
                    input.value = '';
                  }
                });
              }}
            />
          </label>
        </div>
      </section>

      <div class="ws-body">
        <section class="ws-results" aria-labelledby="ws-results-heading">
          <h2 id="ws-results-heading">{t('workspace_list_label')}</h2>
          {!rows ? (
            <p class="hint">{t('workspace_loading')}</p>
          ) : (
            <>
              <p class="hint" aria-live="polite">
                {t('workspace_list_count', [visible.length, rows.length])}
              </p>
              {visible.length === 0 && <p class="hint">{t('workspace_list_empty')}</p>}
              <ReportList
                rows={visible}
                categories={categories}
                selected={selected}
                duplicates={duplicates}
                formatTime={formatTime}
                onToggle={(id, checked) => {
                  const next = new Set(selected);
                  if (checked) next.add(id);
                  else next.delete(id);
                  setSelected(next);
                }}
                onOpen={setOpenId}
                loadThumbnail={loadThumbnail}
              />
            </>
          )}
        </section>
        {openId && (
          <DetailLoader
            db={db}
            evidence={evidence}
            id={openId}
            categories={categories}
            formatTime={formatTime}
            onSave={async (edit) => {
              try {
                await (await editing()).editReport(db, openId, edit, deps);
                return undefined;
              } catch (error) {
                return errorText(t, error);
              }
            }}
            onClose={() => {
              const id = openId;
              setOpenId(undefined);
              requestAnimationFrame(() => document.querySelector<HTMLElement>(`li[data-id="${id}"] .ws-open`)?.focus());
            }}
          />
        )}
      </div>

      {pendingSubmit && pendingGroups.length > 0 && (
        <DuplicateDialog
          groups={pendingGroups}
          onCancel={() => setPendingSubmit(undefined)}
          onSendAll={(group) =>
            void guard(async () =>
              (await bulk()).acknowledgeDuplicates(
                db,
                group.map((r) => r.id),
                clock,
              ),
            )
          }
          onKeep={(group, keep, merge) =>
            void guard(async () => {
              const others = group.filter((row) => row.id !== keep.id);
              const { deleted } = await (
                await bulk()
              ).keepOneDuplicate(
                db,
                evidence,
                keep.id,
                others.map((o) => o.id),
                { merge, ...deps },
              );
              setPendingSubmit((ids) => ids?.filter((id) => !deleted.items.some((i) => i.record.id === id)));
              say(t('workspace_deleted', deleted.items.length), 'ok', deleted);
            })
          }
        />
      )}
    </main>
  );
}

interface DetailProps {
  db: FlaglineDB;
  evidence: EvidenceSource;
  id: string;
  categories: readonly CategoryDef[];
  formatTime: (ms: number) => string;
  onSave: Parameters<typeof ReportDetail>[0]['onSave'];
  onClose: () => void;
}

/** Loads one report's full record, ledger and evidence, kept live while it is open. */
function DetailLoader({ db, evidence, id, categories, formatTime, onSave, onClose }: DetailProps) {
  const [Detail, setDetail] = useState<typeof ReportDetail>();
  useEffect(() => {
    void detailView().then((module) => setDetail(() => module.ReportDetail));
  }, []);
  const data = useLiveQuery(async () => {
    const [stored, leases] = await Promise.all([db.reports.get(id), readLeases(db)]);
    if (!stored) return undefined;
    // In flight (a batch lease names it): shown as sending, and read-only until answered;
    // acknowledged but not yet applied: shown as sent, with its ledger line.
    const record: ReportRecord = withDeliveryState(stored, leases);
    const ledger: LedgerLine[] = [...(record.ledger ?? [])].sort((a, b) => a.at - b.at);
    const artifacts: EvidenceArtifact[] = await evidence.listArtifacts(id);
    return { record, ledger, artifacts, capturedText: evidence.capturedText(record) };
  }, [db, id]);
  if (!data || !Detail) return null;
  return (
    <Detail
      record={data.record}
      ledger={data.ledger}
      artifacts={data.artifacts}
      {...(data.capturedText === undefined ? {} : { capturedText: data.capturedText })}
      categories={categories}
      formatTime={formatTime}
      onSave={onSave}
      onClose={onClose}
    />
  );
}
