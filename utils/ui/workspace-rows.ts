import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FlaglineDB } from '../db';
import type { ReportRecord } from '../schema/record';
import type { EvidenceSource } from '../workspace/evidence';
import { watchAllRows } from '../workspace/live-rows';
import { readFirstSlice } from '../workspace/open';
import { toRow, type WorkspaceRow } from '../workspace/rows';

/**
 * The workspace's rows: the newest reports first, straight from the createdAt index
 * (`firstSlice`, undefined while reading, null when the read failed), then the full list
 * (`allRows`), loaded once the first rows are on screen so it never delays them, and kept
 * current by re-reading only the reports a change touched (utils/workspace/live-rows.ts).
 */
export function useWorkspaceRows(db: FlaglineDB, evidence: EvidenceSource, firstRead?: Promise<ReportRecord[]>, initialRecords?: ReportRecord[]) {
  const [firstSlice, setFirstSlice] = useState<WorkspaceRow[] | null | undefined>(() => initialRecords?.map((r) => toRow(r, evidence.capturedText(r))));
  useEffect(() => {
    if (firstSlice) return;
    (firstRead ?? readFirstSlice(db)).then(
      (records) => setFirstSlice(records.map((record) => toRow(record, evidence.capturedText(record)))),
      () => setFirstSlice(null),
    );
  }, [db]);
  const firstShown = firstSlice !== undefined;
  const [allRows, setAllRows] = useState<WorkspaceRow[]>();
  useEffect(() => {
    if (!firstShown) return undefined;
    return watchAllRows(
      db,
      (record, leases) => toRow(record, evidence.capturedText(record), leases),
      setAllRows,
      (error) => console.error('Flagline workspace list:', error),
    );
  }, [db, firstShown]);
  const rows = allRows ?? firstSlice ?? undefined;
  // Performance marks for `npm run bench`: first rows interactive, and the full list rendered
  // again after a change.
  useEffect(() => {
    if (rows && !performance.getEntriesByName('flagline:workspace-ready').length) performance.mark('flagline:workspace-ready');
  }, [rows]);
  useEffect(() => {
    if (allRows) performance.mark('flagline:workspace-rows');
  }, [allRows]);
  return { allRows, rows };
}

/** Thumbnails: decoded only for rows in view, once each; the object URLs live as long as the page. */
export function useThumbnails(evidence: EvidenceSource): (id: string) => Promise<string | undefined> {
  const thumbnails = useRef(new Map<string, Promise<string | undefined>>());
  return useMemo(
    () => (id: string) => {
      let url = thumbnails.current.get(id);
      if (!url) {
        url = evidence.listArtifacts(id).then((artifacts) => {
          const image = artifacts.find((a) => a.name === 'element.png') ?? artifacts.find((a) => a.mediaType === 'image/png');
          return image ? URL.createObjectURL(new Blob([image.bytes as Uint8Array<ArrayBuffer>], { type: image.mediaType })) : undefined;
        });
        thumbnails.current.set(id, url);
      }
      return url;
    },
    [evidence],
  );
}
