/**
 * Storing a batch: the one transaction that makes reports durable. Everything the answer says
 * (`accepted`, `duplicate`, `rejected` as a conflict) is decided inside it, from what the
 * database holds, and the answer is sent only after it commits (desk/intake/handler.ts).
 *
 * Idempotency (docs/protocol.md "Idempotency", "Revisions"): one row per report id, one per
 * (id, revision); the same (id, revision) with the same body is a `duplicate`, with another body a
 * conflict; a higher revision becomes current; an older one arriving late is kept and answered
 * `duplicate`. Evidence blobs are stored once per SHA-256, however many reports carry them.
 */
import { randomBytes } from 'node:crypto';
import type { ReportResult } from '../../utils/schema/wire';
import type { PreparedReport } from '../intake/prepare';
import { assignClusters } from './clusters';
import { indexReports } from './search';
import type { DeskDb } from './engine';
import type { StatusTokens } from './status-tokens';

export const INITIAL_STATE = 'new';

/** `FL-20261206-1A2B3C4D5E`: the day it arrived and 40 random bits (unique in the database). */
export function newReceipt(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `FL-${day}-${randomBytes(5).toString('hex').toUpperCase()}`;
}

interface Known {
  receipt: string;
  receivedAt: string;
  current: number;
  revisions: Map<number, string>;
}

/** Constraint races (two requests storing one id, a receipt collision) and deadlocks: run again. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === '40001' || code === '40P01' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const ATTEMPTS = 4;

/**
 * Stores the prepared reports of one batch (in their order; a report may appear twice) for a
 * channel and returns one result per report, in the same order. Resolves only after the commit.
 */
export async function storeBatch(
  db: DeskDb,
  channelId: string,
  reports: readonly PreparedReport[],
  tokens: StatusTokens,
  now: () => Date = () => new Date(),
): Promise<ReportResult[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storeOnce(db, channelId, reports, tokens, now());
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}

async function storeOnce(db: DeskDb, channelId: string, reports: readonly PreparedReport[], tokens: StatusTokens, at: Date): Promise<ReportResult[]> {
  if (reports.length === 0) return [];
  const receivedAt = at.toISOString();
  const ids = [...new Set(reports.map((report) => report.id))].sort();
  return db.transaction().execute(async (trx) => {
    const known = new Map<string, Known>();
    const existing = await trx.selectFrom('reports').select(['id', 'receipt', 'received_at', 'revision']).where('id', 'in', ids).execute();
    for (const row of existing) known.set(row.id, { receipt: row.receipt, receivedAt: row.received_at, current: row.revision, revisions: new Map() });
    if (existing.length > 0) {
      const revisions = await trx
        .selectFrom('report_revisions')
        .select(['report_id', 'revision', 'body_hash'])
        .where(
          'report_id',
          'in',
          existing.map((row) => row.id),
        )
        .execute();
      for (const row of revisions) known.get(row.report_id)?.revisions.set(row.revision, row.body_hash);
    }

    const newReports = new Map<string, { receipt: string; report: PreparedReport }>();
    const newRevisions: PreparedReport[] = [];
    const becameCurrent = new Map<string, PreparedReport>();
    const results: ReportResult[] = [];
    for (const report of reports) {
      const entry = known.get(report.id);
      if (!entry) {
        const receipt = newReceipt(at);
        known.set(report.id, { receipt, receivedAt, current: report.revision, revisions: new Map([[report.revision, report.bodyHash]]) });
        newReports.set(report.id, { receipt, report });
        newRevisions.push(report);
        results.push({ id: report.id, status: 'accepted', receipt, receivedAt, statusToken: tokens.tokenFor(report.id) });
        continue;
      }
      const held = entry.revisions.get(report.revision);
      if (held === report.bodyHash) {
        results.push({ id: report.id, status: 'duplicate', receipt: entry.receipt, receivedAt: entry.receivedAt, statusToken: tokens.tokenFor(report.id) });
        continue;
      }
      if (held !== undefined) {
        results.push({
          id: report.id,
          status: 'rejected',
          reason: `report ${report.id} revision ${report.revision} was already received with a different body`,
        });
        continue;
      }
      entry.revisions.set(report.revision, report.bodyHash);
      newRevisions.push(report);
      if (report.revision < entry.current) {
        // An older revision arriving late: kept on record, the newer one stays current.
        results.push({ id: report.id, status: 'duplicate', receipt: entry.receipt, receivedAt: entry.receivedAt, statusToken: tokens.tokenFor(report.id) });
        continue;
      }
      entry.current = report.revision;
      if (newReports.has(report.id)) newReports.set(report.id, { receipt: entry.receipt, report });
      else becameCurrent.set(report.id, report);
      results.push({ id: report.id, status: 'accepted', receipt: entry.receipt, receivedAt: entry.receivedAt, statusToken: tokens.tokenFor(report.id) });
    }

    // Blobs first (content-addressed, shared), then reports, revisions and their artifacts.
    const blobs = new Map<string, { sha256: string; size: number; bytes: Buffer }>();
    for (const report of newRevisions)
      for (const artifact of report.artifacts) blobs.set(artifact.sha256, { sha256: artifact.sha256, size: artifact.size, bytes: artifact.bytes });
    for (const chunk of chunks(
      [...blobs.values()].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1)),
      200,
    )) {
      await trx
        .insertInto('evidence_blobs')
        .values(chunk)
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    }
    const clusters = await assignClusters(
      trx,
      [...newReports.values()].map(({ report }) => ({ id: report.id, report: report.report })),
    );
    const reportRows = [...newReports.values()].map(({ receipt, report }) => ({
      id: report.id,
      channel_id: channelId,
      receipt,
      received_at: receivedAt,
      updated_at: receivedAt,
      revision: known.get(report.id)?.current ?? report.revision,
      state: INITIAL_STATE,
      category: report.report.category,
      url: report.report.target.url,
      cluster_id: clusters.get(report.id) ?? report.id,
      title: report.report.target.title,
      sub_reason: report.report.subReason ?? null,
    }));
    for (const chunk of chunks(reportRows, 200)) await trx.insertInto('reports').values(chunk).execute();
    const revisionRows = newRevisions.map((report) => ({
      report_id: report.id,
      revision: report.revision,
      body_hash: report.bodyHash,
      body: report.storedBody,
      channel_id: channelId,
      received_at: receivedAt,
    }));
    for (const chunk of chunks(revisionRows, 200)) await trx.insertInto('report_revisions').values(chunk).execute();
    const artifactRows = newRevisions.flatMap((report) =>
      report.artifacts.map((artifact) => ({
        report_id: report.id,
        revision: report.revision,
        name: artifact.name,
        media_type: artifact.mediaType,
        sha256: artifact.sha256,
        size: artifact.size,
      })),
    );
    for (const chunk of chunks(artifactRows, 500)) await trx.insertInto('report_artifacts').values(chunk).execute();
    for (const [id, report] of becameCurrent) {
      await trx
        .updateTable('reports')
        .set({
          revision: report.revision,
          updated_at: receivedAt,
          category: report.report.category,
          url: report.report.target.url,
          title: report.report.target.title,
          sub_reason: report.report.subReason ?? null,
        })
        .where('id', '=', id)
        .execute();
    }
    // The search index follows the current revision, in the same transaction as the report.
    await indexReports(trx, [
      ...[...newReports.values()].map(({ report }) => ({ id: report.id, receivedAt, report: report.report, replace: false })),
      ...[...becameCurrent].map(([id, report]) => ({ id, receivedAt: known.get(id)?.receivedAt ?? receivedAt, report: report.report, replace: true })),
    ]);
    return results;
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
