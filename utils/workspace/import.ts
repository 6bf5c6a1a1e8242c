import { verifyEvidence } from '../evidence/hash';
import { strFromU8, unzipSync } from 'fflate';
import type { FlaglineDB } from '../db';
import type { ReportRecord } from '../schema/record';
import { ReportBatch } from '../schema/wire';
import type { Clock } from '../time';
import { restoredRecord } from '../reports/lifecycle';
import { BundleManifest, type BundleEntry } from './bundle';
import { WorkspaceError } from './errors';
import { sha256Hex, type EvidenceArtifact, type EvidenceSource } from './evidence';

/** A file made by Export, checked and ready to add. Nothing is written until {@link applyImport}. */
export interface ImportPlan {
  kind: 'json' | 'zip';
  items: Array<{ entry: BundleEntry; artifacts: EvidenceArtifact[] }>;
}

export interface ImportResult {
  added: number;
  /** Reports whose id is already here: left as they are. */
  skipped: number;
}

/** Largest file taken: a bundle of 10,000 reports with screenshots fits; a runaway file does not. */
export const IMPORT_MAX_BYTES = 512 * 1024 * 1024;

const isZip = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/**
 * Reads an export (JSON in the wire format, or the ZIP evidence bundle — told apart by their
 * first bytes), validates it with the same zod schemas, and re-checks every evidence hash.
 * Any problem refuses the whole file with a translated reason (a {@link WorkspaceError}).
 */
export async function parseImport(bytes: Uint8Array): Promise<ImportPlan> {
  if (bytes.length === 0) throw new WorkspaceError('workspace_import_empty');
  if (bytes.length > IMPORT_MAX_BYTES) throw new WorkspaceError('workspace_import_tooLarge');
  const plan = isZip(bytes) ? await parseBundle(bytes) : parseJson(bytes);
  await verifyEmbeddedEvidence(plan);
  return plan;
}

/**
 * Evidence travels inside each report body (`report.evidence`, with its bytes): recompute every
 * artifact's hash and the manifest hash, and refuse the whole file on any mismatch.
 */
async function verifyEmbeddedEvidence(plan: ImportPlan): Promise<void> {
  for (const { entry } of plan.items) {
    const evidence = entry.report.evidence;
    if (!evidence) continue;
    const check = await verifyEvidence(evidence);
    if (!check.ok) {
      const bad = check.artifacts.find((a) => !a.ok)?.name ?? 'manifest';
      throw new WorkspaceError('workspace_import_hashMismatch', `${entry.report.id}/${bad}`);
    }
  }
}

function parseJson(bytes: Uint8Array): ImportPlan {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw new WorkspaceError('workspace_import_unknown');
  }
  const batch = ReportBatch.safeParse(value);
  if (!batch.success) throw new WorkspaceError('workspace_import_invalid', issueText(batch.error.issues));
  assertUniqueIds(batch.data.reports.map((r) => r.id));
  return {
    kind: 'json',
    items: batch.data.reports.map((report) => {
      const createdAt = Date.parse(report.createdAt);
      // The wire format says nothing about delivery: each report is held for the user to decide.
      return {
        entry: { report, record: { status: 'held', createdAt, updatedAt: createdAt, attempts: 0 }, ledger: [], artifacts: [] },
        artifacts: [],
      };
    }),
  };
}

async function parseBundle(bytes: Uint8Array): Promise<ImportPlan> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw new WorkspaceError('workspace_import_corrupt');
  }
  const manifestBytes = files['manifest.json'];
  if (!manifestBytes) throw new WorkspaceError('workspace_import_unknown');
  let value: unknown;
  try {
    value = JSON.parse(strFromU8(manifestBytes));
  } catch {
    throw new WorkspaceError('workspace_import_corrupt');
  }
  const manifest = BundleManifest.safeParse(value);
  if (!manifest.success) throw new WorkspaceError('workspace_import_invalid', issueText(manifest.error.issues));
  assertUniqueIds(manifest.data.reports.map((entry) => entry.report.id));
  const items: ImportPlan['items'] = [];
  for (const entry of manifest.data.reports) {
    const artifacts: EvidenceArtifact[] = [];
    for (const artifact of entry.artifacts) {
      const data = files[artifact.path];
      if (!data || artifact.path !== `evidence/${entry.report.id}/${artifact.name}`) {
        throw new WorkspaceError('workspace_import_missingEvidence', artifact.path);
      }
      if (data.length !== artifact.size || (await sha256Hex(data)) !== artifact.sha256) {
        throw new WorkspaceError('workspace_import_hashMismatch', artifact.path);
      }
      artifacts.push({
        name: artifact.name,
        mediaType: artifact.mediaType,
        sha256: artifact.sha256,
        size: artifact.size,
        bytes: data,
        ...(artifact.capturedAt ? { capturedAt: artifact.capturedAt } : {}),
      });
    }
    items.push({ entry, artifacts });
  }
  return { kind: 'zip', items };
}

function assertUniqueIds(ids: string[]): void {
  if (new Set(ids).size !== ids.length) throw new WorkspaceError('workspace_import_invalid', 'duplicate ids');
}

function issueText(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const first = issues[0];
  return first ? `${first.path.map(String).join('.')}: ${first.message}`.slice(0, 300) : '';
}

/** Adds what is new in one transaction: all of it, or (on any error) nothing. */
export async function applyImport(db: FlaglineDB, evidence: EvidenceSource, plan: ImportPlan, clock: Clock): Promise<ImportResult> {
  if (!evidence.canStore && plan.items.some((item) => item.artifacts.length > 0)) {
    throw new WorkspaceError('workspace_import_evidenceUnsupported');
  }
  return db.transaction('rw', [db.reports, ...evidence.tables()], async () => {
    const now = clock();
    const existing = new Set((await db.reports.bulkGet(plan.items.map((i) => i.entry.report.id))).filter((r): r is ReportRecord => !!r).map((r) => r.id));
    const records: ReportRecord[] = [];
    for (const { entry, artifacts } of plan.items) {
      if (existing.has(entry.report.id)) continue;
      records.push({ ...restoredRecord(entry.report, entry.record, now), ...(entry.ledger.length ? { ledger: entry.ledger } : {}) });
      if (artifacts.length) await evidence.storeArtifacts(entry.report.id, artifacts);
    }
    await db.reports.bulkAdd(records);
    return { added: records.length, skipped: existing.size };
  });
}
