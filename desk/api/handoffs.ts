/**
 * Recording a hand-off: the reviewer forwarded the report's cluster to an official channel (on
 * that channel's own form; the Desk never submits) and notes when, and the case number given.
 */
import { HandoffRequest } from './contract';
import { ApiFailure, readJson, reviewerRoute } from './http';
import { actorOf, reportInScope } from './scope';
import { appendAudit } from '../store/audit';
import { recordHandoff } from '../store/review';

/** The catalogue's id format (lower-case words joined by hyphens, e.g. `cac-12377-web`). */
const CATALOGUE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const handoffRoutes = [
  reviewerRoute('POST', /^\/api\/reports\/([^/]+)\/handoffs$/, async (context, request) => {
    const report = await reportInScope(context, request);
    const input = await readJson(request, HandoffRequest);
    if (!CATALOGUE_ID.test(input.channelId))
      throw new ApiFailure(400, 'bad_request', 'not a channel of the catalogue', {}, [{ path: 'channelId', message: 'unknown channel' }]);
    const now = context.now();
    const handoff = await recordHandoff(
      context.db,
      { reportId: report.id, clusterId: report.cluster_id, channelId: input.channelId, caseNumber: input.caseNumber, note: input.note },
      actorOf(request),
      now,
    );
    await appendAudit(context.db, {
      actor: actorOf(request),
      action: 'handoff',
      subject: report.id,
      detail: { clusterId: report.cluster_id, channelId: input.channelId, caseNumber: handoff.caseNumber },
      at: now,
    });
    return handoff;
  }),
];
