/**
 * Reporting channels: every signed-in user lists the channels they may see (for the queue
 * filter); admins create, revoke and rotate. Creating and rotating answer the token this once,
 * with the provisioning file the extension imports (utils/provisioning.ts `ProvisioningFile`).
 */
import { CreateChannelRequest, type ChannelList, type ChannelSecret, type ChannelSummary } from './contract';
import { ApiFailure, adminRoute, readJson, reviewerRoute, type ApiContext } from './http';
import { actorOf, scopeOf } from './scope';
import { appendAudit } from '../store/audit';
import { createChannel, listChannels, revokeChannel, rotateChannelToken } from '../store/channels';

async function summaries(context: ApiContext, scope: readonly string[]): Promise<ChannelSummary[]> {
  const [channels, counts] = await Promise.all([
    listChannels(context.db),
    context.db
      .selectFrom('reports')
      .select(['channel_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('channel_id')
      .execute(),
  ]);
  const count = new Map(counts.map((row) => [row.channel_id, Number(row.n)]));
  return channels
    .filter((channel) => scope.length === 0 || scope.includes(channel.id))
    .map((channel) => ({ ...channel, endpoint: context.endpoint, reportCount: count.get(channel.id) ?? 0 }));
}

async function summaryOf(context: ApiContext, id: string): Promise<ChannelSummary> {
  const found = (await summaries(context, [id])).find((channel) => channel.id === id);
  if (!found) throw new ApiFailure(404, 'not_found', 'no such channel');
  return found;
}

/** The file a school admin hands to every pupil's browser: endpoint, token and signing secret. */
function provisioning(context: ApiContext, name: string, token: string, signingSecret: string | null): Record<string, unknown> {
  return {
    flaglineProvisioning: 1,
    organizationName: name.slice(0, 100),
    settings: { endpointUrl: context.endpoint, accessToken: token, ...(signingSecret ? { signingSecret } : {}) },
  };
}

export const channelRoutes = [
  reviewerRoute('GET', /^\/api\/channels$/, async (context, request): Promise<ChannelList> => ({
    channels: await summaries(context, scopeOf(request.session)),
  })),

  adminRoute('POST', /^\/api\/channels$/, async (context, request): Promise<ChannelSecret> => {
    const input = await readJson(request, CreateChannelRequest);
    const created = await createChannel(context.db, { name: input.name, signing: input.signing, now: context.now() });
    await appendAudit(context.db, {
      actor: actorOf(request),
      action: 'channel_create',
      subject: created.id,
      detail: { name: created.name, signing: input.signing },
      at: context.now(),
    });
    return {
      channel: await summaryOf(context, created.id),
      token: created.token,
      signingSecret: created.signingSecret ?? null,
      provisioning: provisioning(context, created.name, created.token, created.signingSecret ?? null),
    };
  }),

  adminRoute('POST', /^\/api\/channels\/([^/]+)\/revoke$/, async (context, request): Promise<ChannelSummary> => {
    const id = request.params[0] ?? '';
    if (!(await revokeChannel(context.db, id, context.now()))) throw new ApiFailure(404, 'not_found', 'no such channel');
    await appendAudit(context.db, { actor: actorOf(request), action: 'channel_revoke', subject: id, at: context.now() });
    return summaryOf(context, id);
  }),

  adminRoute('POST', /^\/api\/channels\/([^/]+)\/rotate$/, async (context, request): Promise<ChannelSecret> => {
    const id = request.params[0] ?? '';
    const token = await rotateChannelToken(context.db, id);
    if (!token) throw new ApiFailure(404, 'not_found', 'no such channel, or it is revoked');
    await appendAudit(context.db, { actor: actorOf(request), action: 'channel_rotate', subject: id, at: context.now() });
    const channel = await context.db.selectFrom('channels').select(['name', 'signing_secret']).where('id', '=', id).executeTakeFirstOrThrow();
    return {
      channel: await summaryOf(context, id),
      token,
      signingSecret: channel.signing_secret,
      provisioning: provisioning(context, channel.name, token, channel.signing_secret),
    };
  }),
];
