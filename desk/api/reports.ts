/**
 * One report: its view (audited), its evidence bytes (audited, served so a browser never runs
 * them), the decision and the assignment on its cluster, and the users it can be assigned to.
 */
import { createHash } from 'node:crypto';
import { ANSWERED, ApiFailure, readJson, reviewerRoute, type ApiContext } from './http';
import { AssignRequest, DecisionRequest, type AssigneeList, type ReportView } from './contract';
import { actorOf, reportInScope } from './scope';
import { API_HEADERS } from './http';
import { appendAudit } from '../store/audit';
import { queueRows } from '../store/queue';
import { assignCluster, clusterDecision, clusterHandoffs, decideCluster } from '../store/review';

/** Evidence types a browser may show inline; anything else is a download. */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/webp']);
const CLUSTER_LIST_MAX = 100;

async function assigneeExists(context: ApiContext, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const user = await context.db.selectFrom('users').select('id').where('id', '=', id).where('disabled', '=', 0).executeTakeFirst();
  if (!user) throw new ApiFailure(400, 'bad_request', 'no such user to assign to', {}, [{ path: 'assigneeId', message: 'unknown user' }]);
}

type VisibleReport = Awaited<ReturnType<typeof reportInScope>>;

/** The current revision's body as stored (evidence listed by name and hash, bytes apart). */
export async function currentBody(context: ApiContext, report: VisibleReport): Promise<string> {
  const revision = await context.db
    .selectFrom('report_revisions')
    .select('body')
    .where('report_id', '=', report.id)
    .where('revision', '=', report.revision)
    .executeTakeFirstOrThrow();
  return revision.body;
}

/** The current revision's evidence with its stored bytes, by name. */
export function currentArtifacts(context: ApiContext, report: VisibleReport) {
  return context.db
    .selectFrom('report_artifacts as a')
    .innerJoin('evidence_blobs as b', 'b.sha256', 'a.sha256')
    .select(['a.name', 'a.media_type', 'a.sha256', 'a.size', 'b.bytes'])
    .where('a.report_id', '=', report.id)
    .where('a.revision', '=', report.revision)
    .orderBy('a.name')
    .execute();
}

const artifactHref = (reportId: string, name: string) => `/api/reports/${encodeURIComponent(reportId)}/artifacts/${encodeURIComponent(name)}`;

export const reportRoutes = [
  reviewerRoute('GET', /^\/api\/reports\/([^/]+)$/, async (context, request): Promise<ReportView> => {
    const report = await reportInScope(context, request);
    const { db } = context;
    const [body, channel, artifacts, decision, handoffs, clusterIds, size] = await Promise.all([
      currentBody(context, report),
      db.selectFrom('channels').select(['id', 'name']).where('id', '=', report.channel_id).executeTakeFirstOrThrow(),
      currentArtifacts(context, report),
      clusterDecision(db, report.id),
      clusterHandoffs(db, report.cluster_id),
      db
        .selectFrom('reports')
        .select('id')
        .where('cluster_id', '=', report.cluster_id)
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc')
        .limit(CLUSTER_LIST_MAX)
        .execute(),
      db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('cluster_id', '=', report.cluster_id)
        .executeTakeFirstOrThrow(),
    ]);
    await appendAudit(db, { actor: actorOf(request), action: 'view_report', subject: report.id, at: context.now() });
    return {
      id: report.id,
      receipt: report.receipt,
      channel,
      receivedAt: report.received_at,
      updatedAt: report.updated_at,
      revision: report.revision,
      decision,
      cluster: {
        id: report.cluster_id,
        size: Number(size.n),
        reports: await queueRows(
          db,
          clusterIds.map((row) => row.id),
        ),
      },
      report: JSON.parse(body) as ReportView['report'],
      artifacts: artifacts.map((artifact) => ({
        name: artifact.name,
        mediaType: artifact.media_type,
        sha256: artifact.sha256,
        size: artifact.size,
        // Recomputed from the stored bytes on every view: proves the store still holds what was received.
        verified: createHash('sha256').update(artifact.bytes).digest('hex') === artifact.sha256 && artifact.bytes.length === artifact.size,
        href: artifactHref(report.id, artifact.name),
      })),
      handoffs,
    };
  }),

  reviewerRoute('GET', /^\/api\/reports\/([^/]+)\/artifacts\/([^/]+)$/, async (context, request) => {
    const report = await reportInScope(context, request);
    const name = request.params[1] ?? '';
    const artifact = await context.db
      .selectFrom('report_artifacts as a')
      .innerJoin('evidence_blobs as b', 'b.sha256', 'a.sha256')
      .select(['a.media_type', 'a.sha256', 'b.bytes'])
      .where('a.report_id', '=', report.id)
      .where('a.revision', '=', report.revision)
      .where('a.name', '=', name)
      .executeTakeFirst();
    if (!artifact) throw new ApiFailure(404, 'not_found', 'no such evidence');
    await appendAudit(context.db, {
      actor: actorOf(request),
      action: 'view_evidence',
      subject: report.id,
      detail: { name, sha256: artifact.sha256 },
      at: context.now(),
    });
    const inline = INLINE_IMAGES.has(artifact.media_type);
    const fileName = name.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'evidence';
    request.response.writeHead(200, {
      ...API_HEADERS,
      // Only the three image types keep their type; everything else is bytes to save, never to render.
      'Content-Type': inline ? artifact.media_type : 'application/octet-stream',
      'Content-Disposition': inline ? 'inline' : `attachment; filename="${fileName}"`,
      'Content-Length': String(artifact.bytes.length),
      'X-Content-Sha256': artifact.sha256,
    });
    request.response.end(request.raw.method === 'HEAD' ? undefined : artifact.bytes);
    return ANSWERED;
  }),

  reviewerRoute('POST', /^\/api\/reports\/([^/]+)\/decision$/, async (context, request) => {
    const report = await reportInScope(context, request);
    const decision = await readJson(request, DecisionRequest);
    await assigneeExists(context, decision.assigneeId);
    const now = context.now();
    const count = await decideCluster(context.db, report.cluster_id, decision, actorOf(request), now);
    await appendAudit(context.db, {
      actor: actorOf(request),
      action: 'decide',
      subject: report.id,
      detail: {
        clusterId: report.cluster_id,
        reports: count,
        state: decision.state,
        outcome: decision.outcome ?? null,
        publicNote: decision.publicNote ?? null,
      },
      at: now,
    });
    return clusterDecision(context.db, report.id);
  }),

  reviewerRoute('POST', /^\/api\/reports\/([^/]+)\/assign$/, async (context, request) => {
    const report = await reportInScope(context, request);
    const { assigneeId } = await readJson(request, AssignRequest);
    await assigneeExists(context, assigneeId);
    await assignCluster(context.db, report.cluster_id, assigneeId);
    await appendAudit(context.db, {
      actor: actorOf(request),
      action: 'assign',
      subject: report.id,
      detail: { clusterId: report.cluster_id, assigneeId },
      at: context.now(),
    });
    return clusterDecision(context.db, report.id);
  }),

  reviewerRoute('GET', /^\/api\/assignees$/, async (context): Promise<AssigneeList> => {
    const users = await context.db.selectFrom('users').select(['id', 'email']).where('disabled', '=', 0).orderBy('email').execute();
    return { users };
  }),
];
