import type { Channel } from '../schema/channel-catalogue';
import { isoWithOffset } from '../time';
import { downloadFile, exportBaseName } from './download';
import type { WorkspaceActionDeps } from './workspace-actions';

// Export and import (ZIP, CSV) and the schema library under them load on first use.
const exporting = () => import('../workspace/export');
const importing = () => import('../workspace/import');

export type ExportFormat = 'json' | 'csv' | 'zip';

const MEDIA_TYPES: Record<ExportFormat, string> = { json: 'application/json', csv: 'text/csv;charset=utf-8', zip: 'application/zip' };

/**
 * The workspace's export (the given reports in one format, downloaded) and import (a JSON or
 * ZIP file, its new reports added). Each reports what it did, or why it failed, on the status line.
 */
export function useTransfer({ db, evidence, clock, categories, t, say, guard }: WorkspaceActionDeps, lang: string, download = downloadFile) {
  const exportAs = (format: ExportFormat, ids: readonly string[]) =>
    guard(async () => {
      const lib = await exporting();
      const items = await lib.loadExportItems(db, evidence, ids);
      if (items.length === 0) return say(t('workspace_nothingSelected'), 'error');
      const name = `${exportBaseName(clock())}.${format}`;
      const content =
        format === 'json' ? lib.exportJson(items) : format === 'csv' ? lib.exportCsv(items) : lib.buildBundle(items, { now: clock(), t, lang, categories });
      download(name, content, MEDIA_TYPES[format]);
      say(t('workspace_exported', items.length));
    });
  const importFile = (file: Blob) =>
    guard(async () => {
      const { parseImport, applyImport } = await importing();
      const plan = await parseImport(new Uint8Array(await file.arrayBuffer()));
      const result = await applyImport(db, evidence, plan, clock);
      say(t('workspace_import_done', [result.added, result.skipped]));
    });
  /** One packet for an email channel (utils/handoff/packet.ts): the selection's fields and evidence, hashed. */
  const exportPacket = (channel: Channel, ids: readonly string[]) =>
    guard(async () => {
      const [lib, packet] = await Promise.all([exporting(), import('../handoff/packet')]);
      const items = await lib.loadExportItems(db, evidence, ids);
      if (items.length === 0) return say(t('workspace_nothingSelected'), 'error');
      download(`${exportBaseName(clock())}-${channel.id}.zip`, packet.buildChannelPacket(channel, items, isoWithOffset(clock())), 'application/zip');
      say(t('workspace_exported', items.length));
    });
  return { exportAs, exportPacket, importFile };
}
