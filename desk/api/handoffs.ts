/**
 * Hand-offs: the packet a reviewer takes to an official channel (a ZIP built by
 * desk/handoff/packet.ts), and recording that the reviewer forwarded the report's cluster there
 * (on that channel's own form; the Desk never submits) — when, and the case number given.
 */
import { SHIPPED_CATALOGUE } from '../../utils/handoff/catalogue';
import type { Channel } from '../../utils/schema/channel-catalogue';
import { HandoffRequest } from './contract';
import { ANSWERED, API_HEADERS, ApiFailure, readJson, reviewerRoute } from './http';
import { currentArtifacts, currentBody } from './reports';
import { actorOf, reportInScope } from './scope';
import { buildHandoffPacket, type StoredReportBody } from '../handoff/packet';
import { appendAudit } from '../store/audit';
import { recordHandoff } from '../store/review';

/** The official channels the extension offers too (one shared data file, validated at load). */
const CATALOGUE = new Map(SHIPPED_CATALOGUE.channels.map((channel) => [channel.id, channel]));

function catalogueChannel(id: string | null | undefined, field: string): Channel {
  const channel = id ? CATALOGUE.get(id) : undefined;
  if (!channel) throw new ApiFailure(400, 'bad_request', 'not a channel of the catalogue', {}, [{ path: field, message: 'unknown channel' }]);
  return channel;
}

/** A file name any browser and file system takes: the receipt and channel id, other characters folded. */
const packetFileName = (receipt: string, channelId: string) => `flagline-handoff-${receipt}-${channelId}`.replace(/[^\w.-]+/g, '_').slice(0, 150) + '.zip';

export const handoffRoutes = [
  reviewerRoute('GET', /^\/api\/reports\/([^/]+)\/handoff-packet$/, async (context, request) => {
    const report = await reportInScope(context, request);
    const channel = catalogueChannel(request.query.get('channel'), 'channel');
    const [body, artifacts] = await Promise.all([currentBody(context, report), currentArtifacts(context, report)]);
    const now = context.now();
    const zip = buildHandoffPacket({
      report: JSON.parse(body) as StoredReportBody,
      artifacts: artifacts.map((artifact) => ({ name: artifact.name, mediaType: artifact.media_type, bytes: artifact.bytes })),
      channel,
      receipt: report.receipt,
      at: now,
    });
    // The packet carries the evidence out of the Desk: audited as an export of it, with what it held.
    await appendAudit(context.db, {
      actor: actorOf(request),
      action: 'export',
      subject: report.id,
      detail: { format: 'handoff-packet', channelId: channel.id, evidence: artifacts.map((artifact) => ({ name: artifact.name, sha256: artifact.sha256 })) },
      at: now,
    });
    request.response.writeHead(200, {
      ...API_HEADERS,
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${packetFileName(report.receipt, channel.id)}"`,
      'Content-Length': String(zip.length),
    });
    request.response.end(request.raw.method === 'HEAD' ? undefined : zip);
    return ANSWERED;
  }),

  reviewerRoute('POST', /^\/api\/reports\/([^/]+)\/handoffs$/, async (context, request) => {
    const report = await reportInScope(context, request);
    const input = await readJson(request, HandoffRequest);
    catalogueChannel(input.channelId, 'channelId');
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
