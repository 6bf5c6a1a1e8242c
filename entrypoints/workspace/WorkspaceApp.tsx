import { useMemo } from 'preact/hooks';
import { HandoffActions } from '@/components/handoff/HandoffActions';
import { BulkActions } from '@/components/workspace/BulkActions';
import { DetailPanel } from '@/components/workspace/DetailPanel';
import { DuplicateDialog } from '@/components/workspace/DuplicateDialog';
import { ReportList } from '@/components/workspace/ReportList';
import { StatusLine } from '@/components/workspace/StatusLine';
import { TransferActions } from '@/components/workspace/TransferActions';
import { WorkspaceFilters } from '@/components/workspace/WorkspaceFilters';
import type { CategoryDef } from '@/utils/categories';
import type { FlaglineDB } from '@/utils/db';
import type { SendRaw } from '@/utils/messaging';
import type { ReportRecord } from '@/utils/schema/record';
import type { Clock } from '@/utils/time';
import { useKnownChannels } from '@/utils/ui/handoff-names';
import { useT } from '@/utils/ui/i18n';
import type { PolicySource } from '@/utils/ui/policy';
import { useBulkActions } from '@/utils/ui/workspace-actions';
import { useOpenReport, useReportDetail } from '@/utils/ui/workspace-detail';
import { useNotice } from '@/utils/ui/workspace-notice';
import { useWorkspacePolicy } from '@/utils/ui/workspace-policy';
import { useThumbnails, useWorkspaceRows } from '@/utils/ui/workspace-rows';
import { useWorkspaceSelection } from '@/utils/ui/workspace-selection';
import { useDuplicateCheckedSubmit } from '@/utils/ui/workspace-submit';
import { useTransfer } from '@/utils/ui/workspace-transfer';
import { duplicateIndex, findDuplicateGroups } from '@/utils/workspace/duplicate-key';
import type { EvidenceSource } from '@/utils/workspace/evidence';
import { timeFormatter } from '@/utils/workspace/open';
import { useStatusRefresh } from '@/utils/ui/status-refresh';
import { distinctSites } from '@/utils/workspace/rows';

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
  /** Opens the hand-off companion for these reports (issue 16); called straight from the click. */
  openHandoff?: (ids: string[]) => void;
}

const NO_POLICY: PolicySource = { read: async () => ({}) };

/**
 * Wires the workspace: rows (utils/ui/workspace-rows.ts), filters and selection
 * (workspace-selection.ts), the status line (workspace-notice.ts), bulk actions and edits
 * (workspace-actions.ts), submit with its duplicate check (workspace-submit.ts), export and
 * import (workspace-transfer.ts) and the detail view (workspace-detail.ts), shown by the
 * components of components/workspace/.
 */
export function WorkspaceApp({
  db,
  evidence,
  send,
  clock,
  categories: builtIn,
  lang,
  policySource = NO_POLICY,
  firstSlice: firstRead,
  initialRecords,
  openHandoff,
}: Props) {
  const t = useT();
  // What the policy offers first (the school's own categories included), then any built-in one
  // it left out, so reports made before a policy change still show their category.
  const { categories, organizationName, noEndpoint = false } = useWorkspacePolicy(db, policySource, builtIn, lang);
  // The newest reports first, then the full list, kept current.
  const { allRows, rows } = useWorkspaceRows(db, evidence, firstRead, initialRecords);
  // The workspace shows every report: ask their channels for news when it opens.
  useStatusRefresh(send, 'all');
  const loadThumbnail = useThumbnails(evidence);
  const { filters, setFilters, visible, byId, selected, toggle, selectAllVisible, selectedIds, allVisibleSelected } = useWorkspaceSelection(rows, allRows);

  // Each row's key was computed once, from its canonical URL and captured text (rows.ts).
  const duplicates = useMemo(() => duplicateIndex(findDuplicateGroups(allRows ?? [], (row) => row.dupKey)), [allRows]);
  const sites = useMemo(() => distinctSites(allRows ?? []), [allRows]);
  const formatter = timeFormatter(lang);
  const formatTime = (ms: number) => formatter.format(ms);

  const { notice, say, guard } = useNotice(t);
  const deps = { db, evidence, send, clock, categories, t, say, guard };
  const detail = useOpenReport();
  const detailData = useReportDetail(db, evidence, detail.openId);
  const actions = useBulkActions(deps, detail.forget);
  const submit = useDuplicateCheckedSubmit(deps, byId, duplicates);
  const transfer = useTransfer(deps, lang);
  const channels = useKnownChannels(policySource);
  const language = lang.toLowerCase().startsWith('zh') ? 'zh_CN' : 'en';
  const channelName = (id: string) => channels.find((c) => c.id === id)?.name[language] ?? id;
  const emailChannels = useMemo(() => channels.filter((c) => c.takesEmail), [channels]);
  const handoffChannels = useMemo(() => channels.map((c) => ({ id: c.id, name: c.name[language] })), [channels, language]);

  return (
    <main class="workspace">
      <header class="ws-header">
        <h1>{t('workspace_title')}</h1>
        {organizationName && <p class="organization">{t('policy_popupOrganization', organizationName)}</p>}
        <StatusLine notice={notice} onUndo={(batch) => void actions.undo(batch)} />
      </header>

      <WorkspaceFilters
        values={filters}
        categories={categories}
        sites={sites}
        handoffChannels={handoffChannels}
        noEndpoint={noEndpoint}
        onChange={setFilters}
      />

      <BulkActions
        categories={categories}
        allVisibleSelected={allVisibleSelected}
        selectedCount={selectedIds().length}
        onSelectAll={selectAllVisible}
        onSubmit={() => submit.request(selectedIds())}
        onRetry={() => void actions.retry(selectedIds())}
        onDelete={() => void actions.remove(selectedIds())}
        onChangeCategory={(category, subReason) => void actions.changeCategory(selectedIds(), category, subReason)}
      />
      <HandoffActions
        emailChannels={emailChannels}
        language={language}
        selectedCount={selectedIds().length}
        {...(openHandoff ? { onHandoff: () => openHandoff(selectedIds()) } : {})}
        onPacket={(channel) => void transfer.exportPacket(channel, selectedIds().length ? selectedIds() : visible.map((r) => r.id))}
      />

      <TransferActions
        // The selection, or what the filters show when nothing is selected.
        onExport={(format) => void transfer.exportAs(format, selectedIds().length ? selectedIds() : visible.map((r) => r.id))}
        onImport={transfer.importFile}
      />

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
                onToggle={toggle}
                onOpen={detail.open}
                loadThumbnail={loadThumbnail}
                channelName={channelName}
                noEndpoint={noEndpoint}
              />
            </>
          )}
        </section>
        {detail.openId && (
          <DetailPanel
            data={detailData}
            categories={categories}
            formatTime={formatTime}
            onSave={(edit) => actions.saveEdit(detail.openId as string, edit)}
            onClose={detail.close}
            noEndpoint={noEndpoint}
            {...(openHandoff ? { onHandoff: () => openHandoff([detail.openId as string]) } : {})}
          />
        )}
      </div>

      {submit.groups.length > 0 && (
        <DuplicateDialog
          groups={submit.groups}
          onCancel={submit.cancel}
          onSendAll={(group) => void submit.sendAll(group)}
          onKeep={(...args) => void submit.keep(...args)}
        />
      )}
    </main>
  );
}
