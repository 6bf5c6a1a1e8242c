/**
 * One report of a batch, checked before any database work: its schema version, its shape (the
 * extension's own zod schema, utils/schema/report.ts), and its evidence — every artifact's SHA-256
 * and size recomputed from the bytes received, and the manifest hash from those. A report that
 * fails is `rejected` with a reason naming what failed; the rest of its batch goes on.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, decodeAndVerifyEvidence, type EvidencePrimitives } from '../../utils/evidence/hash';
import { REPORT_SCHEMA_VERSION, Report } from '../../utils/schema/report';

/** The id answered for a report whose own id cannot be read. */
export const UNKNOWN_REPORT_ID = '00000000-0000-0000-0000-000000000000';

export interface PreparedArtifact {
  name: string;
  mediaType: string;
  sha256: string;
  size: number;
  bytes: Buffer;
}

export interface PreparedReport {
  ok: true;
  id: string;
  revision: number;
  report: Report;
  /**
   * SHA-256 of `storedBody`. The bytes are not in it, but each artifact's verified SHA-256 is, so
   * two bodies hash alike exactly when their content, bytes included, is the same.
   */
  bodyHash: string;
  /** The body as stored, canonical JSON: artifacts keep name, type, hash and size; their bytes go to blobs. */
  storedBody: string;
  artifacts: PreparedArtifact[];
}

export interface RefusedReport {
  ok: false;
  id: string;
  reason: string;
}

const RawId = z.object({ id: z.uuid() });

/** Native base64 and SHA-256: the same checks as the extension's, without atob or WebCrypto's thread hop. */
const NODE_PRIMITIVES: EvidencePrimitives = {
  decode: (base64) => Buffer.from(base64, 'base64'),
  sha256: (bytes) => createHash('sha256').update(bytes).digest('hex'),
};
const RawVersion = z.object({ schemaVersion: z.unknown() });

/** The report as stored and exported: each artifact keeps its name, type, hash and size, not its bytes. */
export function bodyWithoutBytes(report: Report): unknown {
  if (!report.evidence) return report;
  return { ...report, evidence: { ...report.evidence, artifacts: report.evidence.artifacts.map(({ dataBase64: _bytes, ...artifact }) => artifact) } };
}

export async function prepareReport(raw: unknown): Promise<PreparedReport | RefusedReport> {
  const rawId = RawId.safeParse(raw);
  const id = rawId.success ? rawId.data.id : UNKNOWN_REPORT_ID;
  const version = RawVersion.safeParse(raw);
  if (version.success && version.data.schemaVersion !== REPORT_SCHEMA_VERSION) {
    return {
      ok: false,
      id,
      reason: `schemaVersion ${JSON.stringify(version.data.schemaVersion)} is not supported by this Desk (it reads version ${REPORT_SCHEMA_VERSION}); the report is kept on your computer.`,
    };
  }
  const parsed = Report.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(report)'}: ${issue.message}`);
    return { ok: false, id, reason: `invalid report: ${issues.join('; ')}` };
  }
  const report = parsed.data;
  const artifacts: PreparedArtifact[] = [];
  if (report.evidence) {
    const names = report.evidence.artifacts.map((artifact) => artifact.name);
    if (new Set(names).size !== names.length) return { ok: false, id, reason: `evidence names an artifact twice (${names.join(', ')})` };
    const check = await decodeAndVerifyEvidence(report.evidence, NODE_PRIMITIVES);
    const bad = check.artifacts.find((artifact) => !artifact.ok);
    if (bad) {
      return {
        ok: false,
        id,
        reason: `evidence ${bad.name} does not match its hash: it claims sha256 ${bad.claimed.sha256} and ${bad.claimed.size} bytes, the bytes received hash to ${bad.actual.sha256} (${bad.actual.size} bytes)`,
      };
    }
    if (!check.manifestOk) {
      return { ok: false, id, reason: `evidence manifest hash ${check.claimedManifest} does not match the artifacts received (${check.actualManifest})` };
    }
    report.evidence.artifacts.forEach((artifact, index) => {
      const verified = check.artifacts[index];
      if (!verified) return;
      artifacts.push({
        name: artifact.name,
        mediaType: artifact.mediaType,
        sha256: verified.actual.sha256,
        size: verified.actual.size,
        bytes: Buffer.from(verified.bytes.buffer, verified.bytes.byteOffset, verified.bytes.byteLength),
      });
    });
  }
  const storedBody = canonicalJson(bodyWithoutBytes(report));
  return {
    ok: true,
    id: report.id,
    revision: report.revision ?? 1,
    report,
    bodyHash: createHash('sha256').update(storedBody).digest('hex'),
    storedBody,
    artifacts,
  };
}
