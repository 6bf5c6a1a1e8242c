import { verifyEvidence } from '../evidence/hash';
import { strFromU8, unzipSync, type UnzipFileInfo } from 'fflate';
import type { FlaglineDB } from '../db';
import type { ReportRecord } from '../schema/record';
import { ReportBatch } from '../schema/wire';
import type { Clock } from '../time';
import { restoredRecord } from '../reports/lifecycle';
import { artifactPath, BundleManifest, type BundleEntry } from './bundle';
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

/**
 * What a ZIP may make this page inflate. A compressed entry can claim anything (a 1.8 MB file
 * once inflated to 1.2 GB), so sizes come from the manifest and the central directory, are
 * checked against these before a byte is inflated, and the inflater writes into a buffer of the
 * declared size (fflate never grows it).
 */
export const IMPORT_LIMITS = {
  /** Central-directory entries: 10,000 reports with three artifacts and their text each, and then some. */
  maxEntries: 100_000,
  maxManifestBytes: 256 * 1024 * 1024,
  /** Manifest plus every evidence file it names, inflated. */
  maxInflatedBytes: 1024 * 1024 * 1024,
};
export type ImportLimits = typeof IMPORT_LIMITS;

const isZip = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/**
 * Reads an export (JSON in the wire format, or the ZIP evidence bundle — told apart by their
 * first bytes), validates it with the same zod schemas, and re-checks every evidence hash.
 * Any problem refuses the whole file with a translated reason (a {@link WorkspaceError}).
 */
export async function parseImport(bytes: Uint8Array, limits: ImportLimits = IMPORT_LIMITS): Promise<ImportPlan> {
  if (bytes.length === 0) throw new WorkspaceError('workspace_import_empty');
  if (bytes.length > IMPORT_MAX_BYTES) throw new WorkspaceError('workspace_import_tooLarge');
  const plan = isZip(bytes) ? await parseBundle(bytes, limits) : parseJson(bytes);
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

/**
 * Inflates only the entries `wanted` accepts (it sees each central-directory entry's name and
 * declared sizes first, and may throw to refuse the file). A damaged archive is `corrupt`.
 */
function inflateOnly(bytes: Uint8Array, wanted: (file: UnzipFileInfo) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, { filter: wanted });
  } catch (error) {
    if (error instanceof WorkspaceError) throw error;
    throw new WorkspaceError('workspace_import_corrupt');
  }
}

async function parseBundle(bytes: Uint8Array, limits: ImportLimits): Promise<ImportPlan> {
  // First pass: count the entries and inflate the manifest alone, within its cap.
  let entries = 0;
  const manifestFiles = inflateOnly(bytes, (file) => {
    if (++entries > limits.maxEntries) throw new WorkspaceError('workspace_import_tooLarge');
    if (file.name !== 'manifest.json') return false;
    if (file.originalSize > limits.maxManifestBytes) throw new WorkspaceError('workspace_import_tooLarge');
    return true;
  });
  const manifestBytes = manifestFiles['manifest.json'];
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

  // The manifest names every evidence file and its size: that is all the second pass inflates.
  const declared = new Map<string, number>();
  let budget = limits.maxInflatedBytes - manifestBytes.length;
  for (const entry of manifest.data.reports) {
    for (const artifact of entry.artifacts) {
      if (artifact.path !== artifactPath(entry.report.id, artifact.name) || declared.has(artifact.path)) {
        throw new WorkspaceError('workspace_import_missingEvidence', artifact.path);
      }
      budget -= artifact.size;
      if (budget < 0) throw new WorkspaceError('workspace_import_tooLarge');
      declared.set(artifact.path, artifact.size);
    }
  }
  const inflated = new Set<string>();
  const files = inflateOnly(bytes, (file) => {
    const size = declared.get(file.name);
    if (size === undefined) return false;
    // A second entry of one name, or one whose sizes differ from the manifest's, is not the file it lists.
    if (inflated.has(file.name) || file.originalSize !== size || (file.compression === 0 && file.size !== size)) {
      throw new WorkspaceError('workspace_import_hashMismatch', file.name);
    }
    inflated.add(file.name);
    return true;
  });

  const items: ImportPlan['items'] = [];
  for (const entry of manifest.data.reports) {
    const artifacts: EvidenceArtifact[] = [];
    for (const artifact of entry.artifacts) {
      const data = files[artifact.path];
      if (!data) throw new WorkspaceError('workspace_import_missingEvidence', artifact.path);
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
