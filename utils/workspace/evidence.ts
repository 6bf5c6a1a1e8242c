import type { Table } from 'dexie';
import type { FlaglineDB } from '../db';
import type { ReportRecord } from '../schema/record';
import { base64ToBytes } from '../evidence/hash';

/**
 * The workspace's one seam to captured evidence (screenshots, element crops, captured text).
 *
 * A submitted report carries its evidence inside its body (`report.evidence`: every artifact's
 * bytes, hash and the manifest hash), exactly as it goes on the wire; {@link reportEvidence}
 * reads it from there. Every workspace path (detail, CSV, ZIP bundle, import, delete/undo,
 * duplicates) goes through this interface and handles artifacts generically.
 */
export interface EvidenceArtifact {
  /** File name inside the report's evidence folder: `[A-Za-z0-9._-]`, no paths. */
  name: string;
  mediaType: string;
  /** Lower-case hex SHA-256 of `bytes`. */
  sha256: string;
  size: number;
  bytes: Uint8Array;
  /** ISO 8601 capture time, when known. */
  capturedAt?: string;
  /** The reporter blacked out this many areas before sending (the bytes are the redacted image). */
  redactedAreas?: number;
}

export interface EvidenceSource {
  /** Every artifact stored for a report, bytes included. */
  listArtifacts(reportId: string): Promise<EvidenceArtifact[]>;
  /** The exact text captured from the page for a report, if any (duplicate detection, CSV). */
  capturedText(record: ReportRecord): string | undefined;
  /** Whether artifacts can be written (import, undo of a delete). */
  readonly canStore: boolean;
  /** Stores artifacts for a report; called inside the caller's transaction over {@link tables}. */
  storeArtifacts(reportId: string, artifacts: EvidenceArtifact[]): Promise<void>;
  removeArtifacts(reportId: string): Promise<void>;
  /** The Dexie tables the evidence lives in, so imports and deletes stay one transaction. */
  tables(): Table[];
}

export const ARTIFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Evidence as stored by the picker (utils/evidence/capture.ts): inside the report body. Storing
 * and removing therefore go with the report record itself (an import adds the body, an undo
 * restores it); the ZIP's separate files are checked against the body, never stored twice.
 */
export function reportEvidence(db: FlaglineDB): EvidenceSource {
  return {
    listArtifacts: async (reportId) => {
      const record = await db.reports.get(reportId);
      return (record?.report.evidence?.artifacts ?? []).map((artifact) => ({
        name: artifact.name,
        mediaType: artifact.mediaType,
        sha256: artifact.sha256,
        size: artifact.size,
        bytes: base64ToBytes(artifact.dataBase64),
        capturedAt: artifact.capturedAt,
        ...(artifact.redactedAreas ? { redactedAreas: artifact.redactedAreas } : {}),
      }));
    },
    capturedText: (record) => record.report.target.text,
    canStore: true,
    storeArtifacts: async () => undefined,
    removeArtifacts: async () => undefined,
    tables: () => [],
  };
}

/**
 * Evidence for a source with none: none is captured yet, so there is nothing to list and
 * nowhere to store it. A file that carries evidence is refused on import rather than imported
 * without it (see utils/workspace/import.ts).
 */
export function noEvidence(_db: FlaglineDB): EvidenceSource {
  return {
    listArtifacts: async () => [],
    capturedText: () => undefined,
    canStore: false,
    storeArtifacts: async (_id, artifacts) => {
      if (artifacts.length > 0) throw new Error('this version cannot store evidence');
    },
    removeArtifacts: async () => undefined,
    tables: () => [],
  };
}

export { sha256Hex } from '../evidence/hash';
