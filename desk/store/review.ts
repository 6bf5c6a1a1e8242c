/**
 * Reviewers' changes to reports. A decision or an assignment is made on a cluster and written to
 * every report in it, in one statement, so every reporter of the cluster hears the same outcome.
 */
import { randomUUID } from 'node:crypto';
import type { Decision, DecisionRequest, Handoff } from '../api/contract';
import type { Actor } from './audit';
import type { DeskDb } from './engine';

/** The report, if it exists and lies in the reviewer's channels (empty scope: all). */
export async function visibleReport(db: DeskDb, id: string, scope: readonly string[]) {
  let query = db.selectFrom('reports').selectAll().where('id', '=', id);
  if (scope.length > 0) query = query.where('channel_id', 'in', [...scope]);
  return query.executeTakeFirst();
}

/** True when every report of each cluster lies in the scope (and each cluster has a report). */
export async function clustersVisible(db: DeskDb, clusterIds: readonly string[], scope: readonly string[]): Promise<boolean> {
  const rows = await db
    .selectFrom('reports')
    .select(['cluster_id', 'channel_id'])
    .where('cluster_id', 'in', [...clusterIds])
    .execute();
  const found = new Set(rows.map((row) => row.cluster_id));
  if (clusterIds.some((id) => !found.has(id))) return false;
  return scope.length === 0 || rows.every((row) => scope.includes(row.channel_id));
}

export async function clusterDecision(db: DeskDb, reportId: string): Promise<Decision> {
  const row = await db
    .selectFrom('reports as r')
    .leftJoin('users as a', 'a.id', 'r.assignee_id')
    .leftJoin('users as d', 'd.id', 'r.decided_by')
    .select([
      'r.state',
      'r.outcome',
      'r.public_note',
      'r.internal_note',
      'r.assignee_id',
      'a.email as assignee_email',
      'r.decided_at',
      'r.decided_by',
      'd.email as decider_email',
    ])
    .where('r.id', '=', reportId)
    .executeTakeFirstOrThrow();
  return {
    state: row.state as Decision['state'],
    outcome: row.outcome as Decision['outcome'],
    publicNote: row.public_note,
    internalNote: row.internal_note,
    assignee: row.assignee_id ? { id: row.assignee_id, email: row.assignee_email ?? '' } : null,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by ? { id: row.decided_by, email: row.decider_email ?? '' } : null,
  };
}

/** Notes absent stay as they were; an empty note clears it. The outcome goes only with `closed`. */
export async function decideCluster(db: DeskDb, clusterId: string, decision: DecisionRequest, actor: Actor, now: Date): Promise<number> {
  const result = await db
    .updateTable('reports')
    .set({
      state: decision.state,
      outcome: decision.outcome ?? null,
      decided_at: now.toISOString(),
      decided_by: actor.id,
      ...(decision.publicNote !== undefined ? { public_note: decision.publicNote || null } : {}),
      ...(decision.internalNote !== undefined ? { internal_note: decision.internalNote || null } : {}),
      ...(decision.assigneeId !== undefined ? { assignee_id: decision.assigneeId } : {}),
    })
    .where('cluster_id', '=', clusterId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function assignCluster(db: DeskDb, clusterId: string, assigneeId: string | null): Promise<void> {
  await db.updateTable('reports').set({ assignee_id: assigneeId }).where('cluster_id', '=', clusterId).execute();
}

/** The report leaves its cluster for a new one of its own; returns the new cluster id. */
export async function splitReport(db: DeskDb, reportId: string): Promise<string> {
  const clusterId = randomUUID();
  await db.updateTable('reports').set({ cluster_id: clusterId }).where('id', '=', reportId).execute();
  return clusterId;
}

export async function recordHandoff(
  db: DeskDb,
  input: { reportId: string; clusterId: string; channelId: string; caseNumber?: string | undefined; note?: string | undefined },
  actor: Actor,
  now: Date,
): Promise<Handoff> {
  const id = randomUUID();
  const at = now.toISOString();
  const caseNumber = input.caseNumber || null;
  const note = input.note || null;
  await db
    .insertInto('handoffs')
    .values({ id, report_id: input.reportId, cluster_id: input.clusterId, channel_id: input.channelId, at, by_id: actor.id, case_number: caseNumber, note })
    .execute();
  return { id, channelId: input.channelId, at, by: actor, caseNumber, note };
}

export async function clusterHandoffs(db: DeskDb, clusterId: string): Promise<Handoff[]> {
  const rows = await db
    .selectFrom('handoffs as h')
    .leftJoin('users as u', 'u.id', 'h.by_id')
    .select(['h.id', 'h.channel_id', 'h.at', 'h.by_id', 'u.email', 'h.case_number', 'h.note'])
    .where('h.cluster_id', '=', clusterId)
    .orderBy('h.at')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    channelId: row.channel_id,
    at: row.at,
    by: { id: row.by_id, email: row.email ?? '' },
    caseNumber: row.case_number,
    note: row.note,
  }));
}
