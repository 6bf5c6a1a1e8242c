/** Merging clusters and splitting a report off its cluster. */
import { ClusterAnswer, MergeRequest } from './contract';
import { ApiFailure, readJson, reviewerRoute } from './http';
import { actorOf, reportInScope, scopeOf } from './scope';
import { appendAudit } from '../store/audit';
import { mergeClusters } from '../store/clusters';
import { clustersVisible, splitReport } from '../store/review';

export const clusterRoutes = [
  reviewerRoute('POST', /^\/api\/clusters\/merge$/, async (context, request) => {
    const { clusterIds } = await readJson(request, MergeRequest);
    const unique = [...new Set(clusterIds)];
    if (unique.length < 2) throw new ApiFailure(400, 'bad_request', 'name at least two different clusters');
    // A reviewer may merge only clusters whose every report they can see; otherwise it is as if they did not exist.
    if (!(await clustersVisible(context.db, unique, scopeOf(request.session)))) throw new ApiFailure(404, 'not_found', 'no such cluster');
    const clusterId = await mergeClusters(context.db, unique);
    await appendAudit(context.db, { actor: actorOf(request), action: 'merge', subject: clusterId, detail: { clusterIds: unique }, at: context.now() });
    return ClusterAnswer.parse({ clusterId });
  }),

  reviewerRoute('POST', /^\/api\/reports\/([^/]+)\/split$/, async (context, request) => {
    const report = await reportInScope(context, request);
    const clusterId = await splitReport(context.db, report.id);
    await appendAudit(context.db, {
      actor: actorOf(request),
      action: 'split',
      subject: report.id,
      detail: { from: report.cluster_id, to: clusterId },
      at: context.now(),
    });
    return ClusterAnswer.parse({ clusterId });
  }),
];
