/**
 * Recording a hand-off: the reviewer forwarded the report's cluster to an official channel (on
 * that channel's own form; the Desk never submits) and notes when, and the case number given.
 */
import shipped from '../../utils/handoff/catalogue.json' with { type: 'json' };
import { ChannelCatalogue } from '../../utils/schema/channel-catalogue';
import { HandoffRequest } from './contract';
import { ApiFailure, readJson, reviewerRoute } from './http';
import { actorOf, reportInScope } from './scope';
import { appendAudit } from '../store/audit';
import { recordHandoff } from '../store/review';

/** The official channels the extension offers too (one shared data file, validated at load). */
const CATALOGUE_IDS = new Set(ChannelCatalogue.parse(shipped).channels.map((channel) => channel.id));

export const handoffRoutes = [
  reviewerRoute('POST', /^\/api\/reports\/([^/]+)\/handoffs$/, async (context, request) => {
    const report = await reportInScope(context, request);
    const input = await readJson(request, HandoffRequest);
    if (!CATALOGUE_IDS.has(input.channelId))
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
