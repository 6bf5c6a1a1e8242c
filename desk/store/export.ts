/**
 * Every stored report, oldest first, as the objects `desk export` prints one per line: the
 * current revision as received (artifacts as names, hashes and sizes; no bytes), its channel,
 * receipt, times and state — and each artifact's hash checked again against the stored bytes,
 * so an export also proves the store still holds what was received.
 */
import { createHash } from 'node:crypto';
import type { DeskDb } from './engine';

export interface ExportedArtifact {
  name: string;
  mediaType: string;
  sha256: string;
  size: number;
  /** The stored bytes hash to `sha256`. */
  verified: boolean;
}

export interface ExportedReport {
  id: string;
  revision: number;
  receipt: string;
  receivedAt: string;
  updatedAt: string;
  state: string;
  channel: { id: string; name: string };
  evidence: { verified: boolean; artifacts: ExportedArtifact[] };
  report: unknown;
}

export async function* exportReports(db: DeskDb, pageSize = 200): AsyncGenerator<ExportedReport> {
  let after: { receivedAt: string; id: string } | undefined;
  for (;;) {
    let query = db
      .selectFrom('reports')
      .innerJoin('report_revisions', (join) =>
        join.onRef('report_revisions.report_id', '=', 'reports.id').onRef('report_revisions.revision', '=', 'reports.revision'),
      )
      .innerJoin('channels', 'channels.id', 'reports.channel_id')
      .select([
        'reports.id',
        'reports.revision',
        'reports.receipt',
        'reports.received_at',
        'reports.updated_at',
        'reports.state',
        'channels.id as channel_id',
        'channels.name as channel_name',
        'report_revisions.body',
      ])
      .orderBy('reports.received_at')
      .orderBy('reports.id')
      .limit(pageSize);
    if (after) {
      const { receivedAt, id } = after;
      query = query.where((eb) =>
        eb.or([eb('reports.received_at', '>', receivedAt), eb.and([eb('reports.received_at', '=', receivedAt), eb('reports.id', '>', id)])]),
      );
    }
    const rows = await query.execute();
    if (rows.length === 0) return;
    const artifacts = await db
      .selectFrom('report_artifacts')
      .innerJoin('evidence_blobs', 'evidence_blobs.sha256', 'report_artifacts.sha256')
      .select([
        'report_artifacts.report_id',
        'report_artifacts.revision',
        'report_artifacts.name',
        'report_artifacts.media_type',
        'report_artifacts.sha256',
        'report_artifacts.size',
        'evidence_blobs.bytes',
      ])
      .where(
        'report_artifacts.report_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('report_artifacts.name')
      .execute();
    for (const row of rows) {
      const own = artifacts
        .filter((artifact) => artifact.report_id === row.id && artifact.revision === row.revision)
        .map((artifact) => {
          const bytes = Buffer.from(artifact.bytes);
          const verified = bytes.length === artifact.size && createHash('sha256').update(bytes).digest('hex') === artifact.sha256;
          return { name: artifact.name, mediaType: artifact.media_type, sha256: artifact.sha256, size: artifact.size, verified };
        });
      yield {
        id: row.id,
        revision: row.revision,
        receipt: row.receipt,
        receivedAt: row.received_at,
        updatedAt: row.updated_at,
        state: row.state,
        channel: { id: row.channel_id, name: row.channel_name },
        evidence: { verified: own.every((artifact) => artifact.verified), artifacts: own },
        report: JSON.parse(row.body) as unknown,
      };
    }
    const last = rows[rows.length - 1] as (typeof rows)[number];
    after = { receivedAt: last.received_at, id: last.id };
  }
}
