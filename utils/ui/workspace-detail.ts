import { useState } from 'preact/hooks';
import type { FlaglineDB } from '../db';
import { readWithDeliveryState } from '../leases';
import type { LedgerLine, ReportRecord } from '../schema/record';
import type { EvidenceArtifact, EvidenceSource } from '../workspace/evidence';
import { useLiveQuery } from './hooks';

export interface DetailData {
  record: ReportRecord;
  ledger: LedgerLine[];
  artifacts: EvidenceArtifact[];
  capturedText: string | undefined;
}

/** Reads one report's full record, ledger (oldest first) and evidence; undefined when it is gone. */
export async function readDetail(db: FlaglineDB, evidence: EvidenceSource, id: string): Promise<DetailData | undefined> {
  // In flight (a batch lease names it): shown as sending, and read-only until answered;
  // acknowledged but not yet applied: shown as sent, with its ledger line.
  const record = await readWithDeliveryState(db, id);
  if (!record) return undefined;
  const ledger: LedgerLine[] = [...(record.ledger ?? [])].sort((a, b) => a.at - b.at);
  const artifacts: EvidenceArtifact[] = await evidence.listArtifacts(id);
  return { record, ledger, artifacts, capturedText: evidence.capturedText(record) };
}

/** The report open in the detail view, kept live while it is open; undefined until read, or when none is open. */
export function useReportDetail(db: FlaglineDB, evidence: EvidenceSource, id: string | undefined): DetailData | undefined {
  const data = useLiveQuery(async () => (id === undefined ? undefined : readDetail(db, evidence, id)), [db, id]);
  // A value read for the report open before is not shown for this one.
  return data?.record.id === id ? data : undefined;
}

/**
 * Which report the detail view shows. Closing it puts the focus back on the report's Open
 * button in the list; a delete that removes the open report closes it.
 */
export function useOpenReport(doc: Document = document) {
  const [openId, setOpenId] = useState<string>();
  const close = () => {
    const id = openId;
    setOpenId(undefined);
    requestAnimationFrame(() => doc.querySelector<HTMLElement>(`li[data-id="${id}"] .ws-open`)?.focus());
  };
  const forget = (ids: readonly string[]) => {
    if (openId && ids.includes(openId)) setOpenId(undefined);
  };
  return { openId, open: setOpenId, close, forget };
}
