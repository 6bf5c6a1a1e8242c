import { useEffect, useMemo, useState } from 'preact/hooks';
import type { FlaglineDB } from '../db';
import type { SessionArea } from '../drafts';
import { sha256Hex } from '../evidence/hash';
import { discardImageArtifacts, loadArtifacts, type ArtifactRow } from '../evidence/store';
import { EMPTY_DRAFT, ReportDraft } from '../report-form';
import type { ArtifactName } from '../schema/capture';
import { useLiveQuery } from './hooks';

/** One artifact of a pick as the report window previews it. */
export interface PreviewArtifact {
  name: ArtifactName;
  sha256: string;
  size: number;
  /** An object URL for an image artifact. */
  imageUrl?: string;
  /** The decoded text of a text artifact. */
  text?: string;
}

/** Stored artifact rows as previews: PNGs as object URLs (made with `createUrl`), text decoded. */
export function toPreviewArtifacts(rows: readonly ArtifactRow[], createUrl: (blob: Blob) => string = (blob) => URL.createObjectURL(blob)): PreviewArtifact[] {
  return rows.map((row) => ({
    name: row.name,
    sha256: row.sha256,
    size: row.size,
    ...(row.mediaType === 'image/png'
      ? { imageUrl: createUrl(new Blob([row.bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' })) }
      : { text: new TextDecoder().decode(row.bytes) }),
  }));
}

/** Whether a pick's evidence bytes still hash to what was recorded at capture. */
export type Verification = 'checking' | 'verified' | 'mismatch';

/** Re-hashes each stored artifact and compares it with its recorded sha256 (the one the receiver will check). */
export async function verifyArtifacts(rows: readonly ArtifactRow[]): Promise<Exclude<Verification, 'checking'>> {
  const hashes = await Promise.all(rows.map((row) => sha256Hex(row.bytes)));
  return rows.every((row, i) => row.sha256 === hashes[i] && row.size === row.bytes.length) ? 'verified' : 'mismatch';
}

/**
 * A pick waiting for its report form: the capture (undefined while reading, null when it is gone)
 * and its evidence as previews, whose object URLs are revoked when they are replaced or the window
 * closes. Once the report is `metadataOnly` (the capture says so, or the user chose such a
 * category), the captured pixels are deleted for good.
 */
export function usePickEvidence(db: FlaglineDB, captureId: string, metadataOnlyChosen: boolean) {
  const capture = useLiveQuery(() => db.captures.get(captureId).then((c) => c ?? null), [db, captureId]);
  const rows = useLiveQuery(() => loadArtifacts(db, captureId), [db, captureId]);
  const metadataOnly = !!capture?.metadataOnly || metadataOnlyChosen;

  // Switching to a metadata-only category deletes the captured pixels for good.
  useEffect(() => {
    if (metadataOnly && capture && !capture.metadataOnly) void discardImageArtifacts(db, captureId);
  }, [metadataOnly, capture?.metadataOnly]);

  const artifacts = useMemo(() => toPreviewArtifacts(rows ?? []), [rows]);
  const [verification, setVerification] = useState<Verification>('checking');
  useEffect(() => {
    let current = true;
    setVerification('checking');
    void verifyArtifacts(rows ?? []).then((result) => current && setVerification(result));
    return () => {
      current = false;
    };
  }, [rows]);
  useEffect(() => () => artifacts.forEach((a) => a.imageUrl && URL.revokeObjectURL(a.imageUrl)), [artifacts]);
  useEffect(() => {
    if (capture) performance.mark('flagline:ready');
  }, [!!capture]);

  return { capture, rows, artifacts, metadataOnly, verification };
}

/**
 * The report window's draft, kept in session storage under `key` so a reload of the window keeps
 * what was typed; a stored value that is not a draft is ignored. `forget` removes it after a submit.
 */
export function useSessionDraft(session: SessionArea, key: string) {
  const [draft, setDraft] = useState<ReportDraft>(EMPTY_DRAFT);
  useEffect(() => {
    void session.get(key).then((stored) => {
      const parsed = ReportDraft.safeParse(stored[key]);
      if (parsed.success) setDraft(parsed.data);
    });
  }, [key]);
  const update = (next: ReportDraft) => {
    setDraft(next);
    void session.set({ [key]: next });
  };
  return { draft, update, forget: () => session.remove(key) };
}
