import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditPage, ChannelList, Decision, Handoff, QueuePage, ReportView } from '../../desk/api/contract';
import { createChannel, type CreatedChannel } from '../../desk/store/channels';
import { ReportStatus, StatusBatchResponse, type ReportResult } from '../../utils/schema/wire';
import { randomScreenshot } from '../support/wire-reports';
import { ENGINES } from './support/engines';
import { startTestDesk, type TestDesk } from './support/desk';
import { userSession, type ApiClient } from './support/api';
import { deliver, reviewReport } from './support/reports';

const EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

async function queue(client: ApiClient, query = ''): Promise<QueuePage> {
  return QueuePage.parse(await client.json(`/api/reports${query ? `?${query}` : ''}`));
}

async function statusOf(t: TestDesk, result: ReportResult) {
  const response = await fetch(`${t.desk.url}/v1/reports/${result.id}/status`, { headers: { Authorization: `Bearer ${result.statusToken}` } });
  expect(response.status).toBe(200);
  return ReportStatus.parse(await response.json());
}

function batchStatus(t: TestDesk, reports: Array<{ id: string; token: string }>, headers: Record<string, string> = {}) {
  return fetch(`${t.desk.url}/v1/reports/status`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ reports }),
  });
}

describe.each(ENGINES)('the reviewers’ desk on %s', (engine) => {
  let t: TestDesk;
  let admin: ApiClient;
  beforeEach(async () => {
    t = await startTestDesk(engine);
    admin = await userSession(t, 'admin@school.example', 'admin');
  });
  afterEach(async () => {
    await t.stop();
  });

  it('lists the queue newest first with every filter and cursor paging', async () => {
    const [a] = await deliver(t, [await reviewReport({ category: 'rumor', title: 'A' })]);
    const [b] = await deliver(t, [await reviewReport({ category: 'cyberviolence', title: 'B' })]);
    const [c] = await deliver(t, [await reviewReport({ category: 'rumor', title: 'C' })]);
    const all = await queue(admin);
    expect(all.rows.map((row) => row.title)).toEqual(['C', 'B', 'A']);
    expect(all.rows[0]).toMatchObject({
      id: c?.id,
      receipt: c?.receipt,
      state: 'new',
      channelName: 'Test school',
      clusterSize: 1,
      assignee: null,
      outcome: null,
    });
    expect(all.nextCursor).toBeNull();

    const first = await queue(admin, 'limit=2');
    expect(first.rows.map((row) => row.title)).toEqual(['C', 'B']);
    const second = await queue(admin, `limit=2&cursor=${first.nextCursor}`);
    expect(second.rows.map((row) => row.title)).toEqual(['A']);
    expect(second.nextCursor).toBeNull();

    expect((await queue(admin, 'category=rumor')).rows.map((row) => row.title)).toEqual(['C', 'A']);
    await admin.json(`/api/reports/${b?.id}/decision`, { method: 'POST', body: { state: 'in_review', assigneeId: admin.session.user.id } });
    expect((await queue(admin, 'state=in_review')).rows.map((row) => row.id)).toEqual([b?.id]);
    expect((await queue(admin, 'state=new')).rows.map((row) => row.id)).toEqual([c?.id, a?.id]);
    expect((await queue(admin, 'assignee=me')).rows.map((row) => row.id)).toEqual([b?.id]);
    expect((await queue(admin, 'assignee=none')).rows.map((row) => row.id)).toEqual([c?.id, a?.id]);
    expect((await queue(admin, `channel=${t.channel.id}`)).rows).toHaveLength(3);
    expect((await queue(admin, 'channel=00000000-0000-0000-0000-000000000000')).rows).toHaveLength(0);
    const today = new Date().toISOString().slice(0, 10);
    expect((await queue(admin, `from=${today}&to=${today}`)).rows).toHaveLength(3);
    expect((await queue(admin, 'to=2000-01-01')).rows).toHaveLength(0);
    expect((await admin.call('/api/reports?state=bogus')).status).toBe(400);
    expect((await admin.call('/api/reports?cursor=nonsense')).status).toBe(400);
    expect((await admin.call('/api/reports?from=yesterday')).status).toBe(400);
  });

  it('searches Chinese by character pairs, latin words and URL parts, combined with filters', async () => {
    const [water] = await deliver(t, [await reviewReport({ explanation: '明天全市停水三天', title: '通知', url: 'https://weibo.example/status/4711' })]);
    const [other] = await deliver(t, [
      await reviewReport({ explanation: '网络暴力 harassment of a pupil', title: 'Cyber', category: 'cyberviolence', captured: '他们在群里骂她' }),
    ]);
    const ids = async (q: string, extra = '') => (await queue(admin, `q=${encodeURIComponent(q)}${extra}`)).rows.map((row) => row.id);
    expect(await ids('停水')).toEqual([water?.id]);
    expect(await ids('全市停水')).toEqual([water?.id]);
    expect(await ids('停电')).toEqual([]);
    expect(await ids('水')).toEqual([water?.id]);
    expect(await ids('停')).toEqual([water?.id]);
    expect(await ids('骂她')).toEqual([other?.id]);
    expect(await ids('Harassment')).toEqual([other?.id]);
    expect(await ids('harassment pupil')).toEqual([other?.id]);
    expect(await ids('harassment teacher')).toEqual([]);
    expect(await ids('4711')).toEqual([water?.id]);
    expect(await ids('weibo')).toHaveLength(2);
    expect(await ids('weibo', '&category=cyberviolence')).toEqual([other?.id]);
    expect(await ids('停水', '&state=closed')).toEqual([]);
    expect(await ids('...')).toEqual([]);
  });

  it('updates the search index when a new revision arrives', async () => {
    const v1 = await reviewReport({ explanation: '明天全市停水三天', title: 'Notice' });
    await deliver(t, [v1]);
    await deliver(t, [{ ...v1, revision: 2, explanation: '今晚全城停电' }]);
    expect((await queue(admin, `q=${encodeURIComponent('停水')}`)).rows).toEqual([]);
    expect((await queue(admin, `q=${encodeURIComponent('停电')}`)).rows.map((row) => row.id)).toEqual([v1.id]);
  });

  it('shows a report with its evidence verified from the stored bytes, and serves the bytes safely', async () => {
    const [result] = await deliver(t, [await reviewReport({ screenshot: randomScreenshot(2_000), text: '<script>alert(1)</script>' })]);
    const view = ReportView.parse(await admin.json(`/api/reports/${result?.id}`));
    expect(view).toMatchObject({ id: result?.id, receipt: result?.receipt, channel: { id: t.channel.id, name: 'Test school' }, revision: 1 });
    expect(view.decision).toMatchObject({ state: 'new', outcome: null, publicNote: null });
    expect(view.cluster).toMatchObject({ size: 1 });
    expect(view.artifacts.map((a) => [a.name, a.verified])).toEqual([
      ['text.txt', true],
      ['viewport.png', true],
    ]);
    expect(view.report.explanation).toBe('明天全市停水三天的消息是假的');

    const png = await admin.call(view.artifacts[1]?.href ?? '');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await png.arrayBuffer()).byteLength).toBe(2_000);
    const text = await admin.call(view.artifacts[0]?.href ?? '');
    expect(text.headers.get('content-type')).toBe('application/octet-stream');
    expect(text.headers.get('content-disposition')).toMatch(/^attachment; filename="text.txt"/);
    expect(await text.text()).toBe('<script>alert(1)</script>');
    expect((await admin.call(`/api/reports/${result?.id}/artifacts/nothing.png`)).status).toBe(404);

    // A blob changed under the Desk shows as not verified.
    const sha = view.artifacts[1]?.sha256 ?? '';
    await t.db
      .updateTable('evidence_blobs')
      .set({ bytes: Buffer.from('changed') })
      .where('sha256', '=', sha)
      .execute();
    const again = ReportView.parse(await admin.json(`/api/reports/${result?.id}`));
    expect(again.artifacts.find((a) => a.sha256 === sha)?.verified).toBe(false);

    const audit = AuditPage.parse(await admin.json('/api/audit'));
    expect(audit.entries.slice(0, 4).map((entry) => entry.action)).toEqual(['view_report', 'view_evidence', 'view_evidence', 'view_report']);
    expect(audit.entries[1]?.detail).toMatchObject({ name: 'text.txt' });
  });

  it('groups reports on the same canonical URL or the same captured text, and a decision reaches every reporter of the cluster', async () => {
    const [first] = await deliver(t, [await reviewReport({ url: 'https://Weibo.example:443/post/9?utm_source=wx&id=2#comments' })]);
    const [second] = await deliver(t, [await reviewReport({ url: 'https://weibo.example/post/9?id=2&spm=a.b.c&from=timeline' })]);
    const [elsewhere] = await deliver(t, [await reviewReport({ url: 'https://weibo.example/post/10' })]);
    const text = '明天全市停水三天，请大家互相转告';
    const [copy1] = await deliver(t, [await reviewReport({ captured: text })]);
    const [copy2] = await deliver(t, [await reviewReport({ captured: `  ${text}\n` })]);

    const rows = (await queue(admin)).rows;
    const cluster = (id: string | undefined) => rows.find((row) => row.id === id)?.clusterId;
    expect(cluster(first?.id)).toBe(cluster(second?.id));
    expect(cluster(elsewhere?.id)).not.toBe(cluster(first?.id));
    expect(cluster(copy1?.id)).toBe(cluster(copy2?.id));
    expect(rows.find((row) => row.id === second?.id)?.clusterSize).toBe(2);

    const decision = Decision.parse(
      await admin.json(`/api/reports/${second?.id}/decision`, {
        method: 'POST',
        body: { state: 'closed', outcome: 'removed', publicNote: '已删除，谢谢举报', internalNote: 'reviewers only' },
      }),
    );
    expect(decision).toMatchObject({
      state: 'closed',
      outcome: 'removed',
      publicNote: '已删除，谢谢举报',
      internalNote: 'reviewers only',
      decidedBy: { email: 'admin@school.example' },
    });
    for (const result of [first, second]) {
      const status = await statusOf(t, result!);
      expect(status).toMatchObject({ id: result?.id, state: 'closed', outcome: 'removed', publicNote: '已删除，谢谢举报' });
      expect(JSON.stringify(status)).not.toContain('reviewers only');
    }
    expect(await statusOf(t, elsewhere!)).toEqual({ id: elsewhere?.id, state: 'new', updatedAt: expect.any(String) });

    // Batch status: wrong tokens and unknown ids are left out; CORS for extensions only.
    const batch = await batchStatus(
      t,
      [
        { id: first!.id, token: first!.statusToken! },
        { id: elsewhere!.id, token: first!.statusToken! },
        { id: '00000000-0000-4000-8000-000000000000', token: 'fls_'.padEnd(40, 'x') },
        { id: second!.id, token: second!.statusToken! },
      ],
      { Origin: EXTENSION },
    );
    expect(batch.status).toBe(200);
    expect(batch.headers.get('access-control-allow-origin')).toBe(EXTENSION);
    const answer = StatusBatchResponse.parse(await batch.json());
    expect(answer.results.map((r) => [r.id, r.state, r.outcome, r.publicNote])).toEqual([
      [first?.id, 'closed', 'removed', '已删除，谢谢举报'],
      [second?.id, 'closed', 'removed', '已删除，谢谢举报'],
    ]);
    expect((await batchStatus(t, [])).status).toBe(400);
    expect(
      (
        await batchStatus(
          t,
          Array.from({ length: 101 }, () => ({ id: first!.id, token: first!.statusToken! })),
        )
      ).status,
    ).toBe(400);
    const preflight = await fetch(`${t.desk.url}/v1/reports/status`, {
      method: 'OPTIONS',
      headers: { Origin: EXTENSION, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect((await fetch(`${t.desk.url}/v1/reports/status`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } })).status).toBe(403);

    // Outcome goes with closed, and only with closed.
    expect((await admin.call(`/api/reports/${first?.id}/decision`, { method: 'POST', body: { state: 'closed' } })).status).toBe(400);
    expect((await admin.call(`/api/reports/${first?.id}/decision`, { method: 'POST', body: { state: 'new', outcome: 'removed' } })).status).toBe(400);
  });

  it('merges clusters and splits a report off, and audits both', async () => {
    const [a] = await deliver(t, [await reviewReport()]);
    const [b] = await deliver(t, [await reviewReport()]);
    const view = async (id: string | undefined) => ReportView.parse(await admin.json(`/api/reports/${id}`));
    const before = [(await view(a?.id)).cluster.id, (await view(b?.id)).cluster.id];
    expect(before[0]).not.toBe(before[1]);
    const merged = await admin.json<{ clusterId: string }>('/api/clusters/merge', { method: 'POST', body: { clusterIds: before } });
    expect(merged.clusterId).toBe(before[0]);
    const joined = await view(b?.id);
    expect(joined.cluster).toMatchObject({ id: before[0], size: 2 });
    expect(joined.cluster.reports.map((row) => row.id).sort()).toEqual([a?.id, b?.id].sort());

    await admin.json(`/api/reports/${a?.id}/decision`, { method: 'POST', body: { state: 'forwarded' } });
    expect((await view(b?.id)).decision.state).toBe('forwarded');

    const split = await admin.json<{ clusterId: string }>(`/api/reports/${b?.id}/split`, { method: 'POST' });
    expect(split.clusterId).not.toBe(before[0]);
    expect((await view(b?.id)).cluster).toMatchObject({ id: split.clusterId, size: 1 });
    await admin.json(`/api/reports/${a?.id}/decision`, { method: 'POST', body: { state: 'closed', outcome: 'no_violation' } });
    expect((await view(b?.id)).decision.state).toBe('forwarded');

    expect((await admin.call('/api/clusters/merge', { method: 'POST', body: { clusterIds: [before[0], 'no-such-cluster'] } })).status).toBe(404);
    const actions = AuditPage.parse(await admin.json('/api/audit')).entries.map((entry) => entry.action);
    expect(actions).toContain('merge');
    expect(actions).toContain('split');
    expect(actions).toContain('decide');
  });

  it('assigns a cluster to a user and lists who can be assigned', async () => {
    const reviewer = await userSession(t, 'rev@school.example', 'reviewer');
    const [a] = await deliver(t, [await reviewReport()]);
    const assignees = await reviewer.json<{ users: Array<{ email: string }> }>('/api/assignees');
    expect(assignees.users.map((u) => u.email)).toEqual(['admin@school.example', 'rev@school.example']);
    const decision = Decision.parse(await reviewer.json(`/api/reports/${a?.id}/assign`, { method: 'POST', body: { assigneeId: reviewer.session.user.id } }));
    expect(decision.assignee).toEqual({ id: reviewer.session.user.id, email: 'rev@school.example' });
    expect((await queue(reviewer, 'assignee=me')).rows.map((row) => row.id)).toEqual([a?.id]);
    expect((await reviewer.call(`/api/reports/${a?.id}/assign`, { method: 'POST', body: { assigneeId: 'nobody' } })).status).toBe(400);
    await reviewer.json(`/api/reports/${a?.id}/assign`, { method: 'POST', body: { assigneeId: null } });
    expect((await queue(reviewer, 'assignee=none')).rows.map((row) => row.id)).toEqual([a?.id]);
  });

  it('records a hand-off with its case number on the cluster', async () => {
    const [a] = await deliver(t, [await reviewReport({ url: 'https://weibo.example/post/77' })]);
    const [b] = await deliver(t, [await reviewReport({ url: 'https://weibo.example/post/77?utm_medium=share' })]);
    const handoff = Handoff.parse(
      await admin.json(`/api/reports/${a?.id}/handoffs`, { method: 'POST', body: { channelId: 'cac-12377-web', caseNumber: 'JB-2026-0042' } }),
    );
    expect(handoff).toMatchObject({ channelId: 'cac-12377-web', caseNumber: 'JB-2026-0042', by: { email: 'admin@school.example' }, note: null });
    const view = ReportView.parse(await admin.json(`/api/reports/${b?.id}`));
    expect(view.handoffs).toEqual([handoff]);
    expect((await admin.call(`/api/reports/${a?.id}/handoffs`, { method: 'POST', body: { channelId: 'Not A Channel!' } })).status).toBe(400);
    // Only channels of the shared catalogue (utils/handoff/catalogue.json).
    expect((await admin.call(`/api/reports/${a?.id}/handoffs`, { method: 'POST', body: { channelId: 'no-such-channel' } })).status).toBe(400);
    expect((await admin.call(`/api/reports/${a?.id}/handoffs`, { method: 'POST', body: { channelId: 'weibo-report' } })).status).toBe(200);
    const audit = AuditPage.parse(await admin.json('/api/audit'));
    expect(audit.entries.filter((entry) => entry.action === 'handoff').map((entry) => entry.detail)).toMatchObject([
      { channelId: 'weibo-report', caseNumber: null },
      { channelId: 'cac-12377-web', caseNumber: 'JB-2026-0042' },
    ]);
  });

  it('keeps a reviewer with channel assignments to those channels: other ids answer 404', async () => {
    const other: CreatedChannel = await createChannel(t.db, { name: 'Other school' });
    const [mine] = await deliver(t, [await reviewReport({ explanation: '明天全市停水三天' })]);
    const [theirs] = await deliver(t, [await reviewReport({ explanation: '明天全市停水三天', screenshot: randomScreenshot(500) })], other.token);
    const reviewer = await userSession(t, 'rev@school.example', 'reviewer');
    // By default (one team) a reviewer sees every channel.
    expect((await queue(reviewer)).rows).toHaveLength(2);
    await admin.json(`/api/users/${reviewer.session.user.id}`, { method: 'PATCH', body: { channelIds: [t.channel.id] } });
    expect((await queue(reviewer)).rows.map((row) => row.id)).toEqual([mine?.id]);
    expect((await queue(reviewer, `q=${encodeURIComponent('停水')}`)).rows.map((row) => row.id)).toEqual([mine?.id]);
    expect((await queue(reviewer, `channel=${other.id}`)).rows).toEqual([]);
    expect(ChannelList.parse(await reviewer.json('/api/channels')).channels.map((c) => c.id)).toEqual([t.channel.id]);
    const theirView = ReportView.parse(await admin.json(`/api/reports/${theirs?.id}`));
    for (const [method, path, body] of [
      ['GET', `/api/reports/${theirs?.id}`, undefined],
      ['GET', theirView.artifacts[0]?.href ?? '', undefined],
      ['POST', `/api/reports/${theirs?.id}/decision`, { state: 'in_review' }],
      ['POST', `/api/reports/${theirs?.id}/assign`, { assigneeId: null }],
      ['POST', `/api/reports/${theirs?.id}/split`, undefined],
      ['POST', `/api/reports/${theirs?.id}/handoffs`, { channelId: 'cac-12377-web' }],
      ['POST', '/api/clusters/merge', { clusterIds: [mine?.id, theirView.cluster.id] }],
      ['GET', '/api/reports/00000000-0000-4000-8000-000000000000', undefined],
    ] as const) {
      const response = await reviewer.call(path, { method, ...(body ? { body } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect((await reviewer.call(`/api/reports/${mine?.id}`)).status).toBe(200);
    const exported = await reviewer.call('/api/export.json');
    expect(((await exported.json()) as { reports: Array<{ id: string }> }).reports.map((r) => r.id)).toEqual([mine?.id]);
    // Admin routes stay closed to reviewers whatever their channels.
    for (const [method, path] of [
      ['GET', '/api/users'],
      ['POST', '/api/users'],
      ['PATCH', `/api/users/${reviewer.session.user.id}`],
      ['POST', '/api/channels'],
      ['POST', `/api/channels/${t.channel.id}/revoke`],
      ['POST', `/api/channels/${t.channel.id}/rotate`],
      ['GET', '/api/audit'],
    ] as const) {
      const response = await reviewer.call(path, { method, ...(method === 'GET' ? {} : { body: {} }) });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
  });

  it('refuses every state-changing request without the CSRF token', async () => {
    const [a] = await deliver(t, [await reviewReport()]);
    for (const [method, path] of [
      ['POST', `/api/reports/${a?.id}/decision`],
      ['POST', `/api/reports/${a?.id}/assign`],
      ['POST', `/api/reports/${a?.id}/split`],
      ['POST', `/api/reports/${a?.id}/handoffs`],
      ['POST', '/api/clusters/merge'],
      ['POST', '/api/users'],
      ['POST', '/api/channels'],
      ['DELETE', '/api/session'],
    ] as const) {
      const response = await fetch(`${t.desk.url}${path}`, {
        method,
        headers: { Cookie: admin.cookie, 'Content-Type': 'application/json' },
        body: '{"state":"closed","outcome":"removed"}',
      });
      expect(response.status, path).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'csrf' });
    }
    expect((await queue(admin)).rows[0]?.state).toBe('new');
  });

  it('exports the filtered queue as CSV with formulas neutralised, and as JSON; both audited', async () => {
    await deliver(t, [await reviewReport({ title: '=HYPERLINK("https://evil.example","click")', category: 'rumor' })]);
    await deliver(t, [await reviewReport({ title: '@SUM(1+1)\nsecond line', category: 'rumor' })]);
    await deliver(t, [await reviewReport({ title: 'plain', category: 'cyberviolence' })]);
    const csv = await admin.call('/api/export.csv?category=rumor');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="flagline-desk-\d{4}-\d{2}-\d{2}\.csv"$/);
    // Response.text() would drop the byte-order mark; spreadsheets need it.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith('\uFEFFid,receipt,receivedAt,state,outcome,category')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);
    expect(text).toContain(`"'@SUM(1+1)\nsecond line"`);
    expect(text).not.toContain('plain');
    const json = (await (await admin.call('/api/export.json')).json()) as { reports: Array<{ title: string }> };
    expect(json.reports.map((r) => r.title)).toEqual(['plain', '@SUM(1+1)\nsecond line', '=HYPERLINK("https://evil.example","click")']);
    const audit = AuditPage.parse(await admin.json('/api/audit'));
    expect(audit.entries.slice(0, 2).map((entry) => [entry.action, entry.detail.format, entry.detail.rows])).toEqual([
      ['export', 'json', 3],
      ['export', 'csv', 2],
    ]);
  });
});
